//! The commands the screens call, invoked through Tauri's IPC on the mock runtime: the same
//! JSON in and out as the real window, with no display.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

use alongside::desktop::{configure, AppState};
use alongside::domain::metrics::{Group, Range};
use alongside::exchange::reports::{
    figures_csv, people_behind, people_json, practice_report, report_json, rows_csv, PracticeReport,
};
use alongside::store::{Actor, Store};

use super::support::{catalogue, register, today, Sandbox};

pub(super) struct Window {
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: WebviewWindow<tauri::test::MockRuntime>,
}

impl Window {
    /// The app on a demonstration practice of 60 people, with the nurse signed in.
    pub(super) fn open(sandbox: &Sandbox) -> Window {
        let window = Window::demo(sandbox);
        window.sign_in("nurse");
        window
    }

    /// The app on a demonstration practice of 60 people, no one signed in.
    pub(super) fn demo(sandbox: &Sandbox) -> Window {
        let mut store = Store::open(&sandbox.db()).unwrap();
        alongside::exchange::demo::create_demo(
            &mut store,
            &Actor::new("t"),
            &catalogue(),
            today(),
            60,
            5,
            true,
        )
        .unwrap();
        Window::on(store)
    }

    /// The app on the database `store` has open.
    pub(super) fn on(store: Store) -> Window {
        Window::with_clock(store, Box::new(|| chrono::Utc::now().naive_utc()))
    }

    /// The app on `store`, telling the time by `clock`.
    pub(super) fn with_clock(store: Store, clock: alongside::desktop::Clock) -> Window {
        let texts = alongside::assets::invitation_texts().unwrap();
        let app = configure(
            mock_builder(),
            AppState::new(
                store,
                catalogue(),
                alongside::assets::rules(&catalogue()).unwrap(),
                texts,
            )
            .with_clock(clock),
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let webview =
            tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Window { _app: app, webview }
    }

    /// Signs in one of the demonstration accounts.
    pub(super) fn sign_in(&self, username: &str) -> Value {
        let password = alongside::exchange::access::demo_password(username);
        self.invoke("sign_in", json!({"username": username, "password": password}))
            .unwrap_or_else(|e| panic!("{username} could not sign in: {e}"))
    }

    pub(super) fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| body.deserialize::<Value>().unwrap())
    }
}

/// Someone in the demo who may be contacted, has `condition` and no review open yet.
fn without_an_open_review(sandbox: &Sandbox, condition: &str) -> alongside::store::PatientRow {
    let store = Store::open(&sandbox.db()).unwrap();
    store
        .all_patients()
        .unwrap()
        .into_iter()
        .find(|p| {
            p.details.status.may_be_contacted()
                && p.details.conditions.iter().any(|d| d.condition_id == condition)
                && store.cycles_of(p.id).unwrap().iter().all(|c| !c.cycle.status().is_open())
        })
        .unwrap_or_else(|| panic!("the demo has someone with {condition} and no open review"))
}

#[test]
fn the_register_screen_can_search_and_open_a_record() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    let info = window.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["is_demo"], true);
    assert_eq!(info["practice_name"], "Riverside Surgery (demonstration)");

    let everyone = window.invoke("search_patients", json!({"request": {"status": "all"}})).unwrap();
    assert_eq!(everyone["total"], 60);
    assert_eq!(everyone["people"].as_array().unwrap().len(), 25, "one page of 25");
    let first = &everyone["people"][0];
    let typed = format!(
        "{} {}",
        first["given_name"].as_str().unwrap(),
        first["family_name"].as_str().unwrap()
    );
    let found = window
        .invoke("search_patients", json!({"request": {"text": typed, "status": "all"}}))
        .unwrap();
    assert!(found["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["nhs_number"] == first["nhs_number"]));

    let record = window.invoke("get_patient", json!({"nhsNumber": first["nhs_number"]})).unwrap();
    assert_eq!(record["nhs_number_display"], first["nhs_number_display"]);
    assert_eq!(record["is_test_number"], true);
    assert!(!record["conditions"].as_array().unwrap().is_empty());
    let timeline = record["timeline"].as_array().unwrap();
    assert_eq!(timeline.last().unwrap()["what"], "Added to the register", "the oldest entry");

    let second_page =
        window.invoke("search_patients", json!({"request": {"status": "all", "page": 2}})).unwrap();
    assert_eq!(
        second_page["people"].as_array().unwrap().len(),
        10,
        "60 people: pages of 25, 25 and 10"
    );
}

#[test]
fn errors_cross_as_a_code_and_a_message() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    window.sign_in("admin");
    let bad = window.invoke("get_patient", json!({"nhsNumber": "123"})).unwrap_err();
    assert_eq!(bad["code"], "invalid_input");
    assert_eq!(bad["message"], "an NHS number is 10 digits; '123' has 3");
    let absent = window.invoke("get_patient", json!({"nhsNumber": "9434765919"})).unwrap_err();
    assert_eq!(
        absent,
        json!({"code": "not_found", "message": "no one with NHS number 943 476 5919 is on the register"})
    );
    let file = window
        .invoke("preview_register_import", json!({"path": sandbox.path("none.csv")}))
        .unwrap_err();
    assert_eq!(file["code"], "invalid_input");
    assert!(file["message"].as_str().unwrap().contains("there is no such file"));
}

#[test]
fn the_import_screen_previews_then_imports_what_was_previewed() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    window.sign_in("admin");
    let path = sandbox.write(
        "register.csv",
        register(&[
            "9434765919,Okafor,Grace,1950-03-02,44054006",
            "9990000019,Smith,Jo,1950-03-02,44054006",
        ]),
    );
    let preview = window.invoke("preview_register_import", json!({"path": path})).unwrap();
    assert_eq!(preview["report"]["imported"], 1);
    assert_eq!(preview["report"]["rejected"][0]["line"], 3);
    let before =
        window.invoke("search_patients", json!({"request": {"text": "9434765919"}})).unwrap();
    assert_eq!(before["total"], 0, "previewing writes nothing");

    let saved_to = sandbox.path("rejected.csv");
    let saved =
        window.invoke("save_rejected_rows", json!({"path": path, "target": saved_to})).unwrap();
    assert_eq!(saved, 1);
    assert!(std::fs::read_to_string(&saved_to).unwrap().contains("9990000019,Smith,Jo"));

    let stale = window.invoke(
        "confirm_register_import",
        json!({"path": path, "fingerprintSeen": "not-what-was-seen"}),
    );
    assert_eq!(
        stale.unwrap_err()["code"],
        "file_changed",
        "a changed file is never imported unseen"
    );

    let done = window
        .invoke(
            "confirm_register_import",
            json!({"path": path, "fingerprintSeen": preview["fingerprint"]}),
        )
        .unwrap();
    assert_eq!(done, preview["report"], "the import does what the preview showed");
    let after =
        window.invoke("search_patients", json!({"request": {"text": "943 476 5919"}})).unwrap();
    assert_eq!(after["people"][0]["family_name"], "Okafor");
}

#[test]
fn the_recall_screen_lists_the_month_and_records_a_batch() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    let month = alongside::domain::calendar::YearMonth::of(today()).to_string();
    let page = window.invoke("recall_list", json!({"request": {"month": month}})).unwrap();
    let counts = &page["counts"];
    let sum: u64 = [
        "first_invitation",
        "awaiting_reply",
        "second_invitation",
        "third_invitation",
        "booked",
        "closed",
    ]
    .iter()
    .map(|k| counts[k].as_u64().unwrap())
    .sum();
    assert_eq!(sum, counts["everyone"].as_u64().unwrap(), "every person is counted at one step");
    assert_eq!(page["total"], counts["everyone"]);

    let due = page["invitations_due"].as_u64().unwrap();
    let target = sandbox.path("invitations.pdf");
    let prepared =
        window.invoke("prepare_invitation_batch", json!({"month": month, "target": target}));
    if due == 0 {
        assert_eq!(
            prepared.unwrap_err()["code"],
            "invalid_input",
            "no invitations: nothing to write"
        );
        return;
    }
    let prepared = prepared.unwrap();
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));
    let confirmed =
        window.invoke("confirm_invitation_batch", json!({"batch": prepared["batch"]})).unwrap();
    assert_eq!(confirmed["recorded"], prepared["letters"]);
    let again =
        window.invoke("cancel_invitation_batch", json!({"batch": prepared["batch"]})).unwrap_err();
    assert_eq!(again["code"], "refused", "a confirmed batch cannot be cancelled");
    let after = window.invoke("recall_list", json!({"request": {"month": month}})).unwrap();
    assert_eq!(after["invitations_due"], 0, "everyone due an invitation has been sent one");
}

#[test]
fn a_review_says_what_can_be_recorded_and_refuses_the_rest() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    window.sign_in("reception");
    let path = sandbox.write(
        "one.csv",
        "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,postcode\n\
         9434765919,Okafor,Grace,1950-03-02,44054006,1 Mill Lane,AM1 1AB\n",
    );
    let preview = window.invoke("preview_register_import", json!({"path": path})).unwrap();
    window
        .invoke(
            "confirm_register_import",
            json!({"path": path, "fingerprintSeen": preview["fingerprint"]}),
        )
        .unwrap();
    let review = window.invoke("get_review", json!({"nhsNumber": "9434765919"})).unwrap();
    assert_eq!(review["status"], "due");
    assert_eq!(
        review["available"],
        json!(["contact", "book_contact1", "attend_contact1", "decline", "adjust"]),
        "contact 2 cannot be booked yet"
    );
    let month = review["month"].as_str().unwrap();
    let refused = window
        .invoke(
            "record_review_action",
            json!({"nhsNumber": "9434765919", "month": month,
                   "action": {"kind": "book_conversation", "starts_at": "2030-01-10T10:00", "with_whom": "Dr A Rahman"}}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "refused");
    let bad = window
        .invoke(
            "record_review_action",
            json!({"nhsNumber": "9434765919", "month": month,
                   "action": {"kind": "book_contact1", "starts_at": "tomorrow", "with_whom": "Jo"}}),
        )
        .unwrap_err();
    assert_eq!(
        bad,
        json!({"code": "invalid_input", "message": "'tomorrow' is not a date and time (choose both)"})
    );
    window
        .invoke(
            "record_review_action",
            json!({"nhsNumber": "9434765919", "month": month,
                   "action": {"kind": "book_contact1", "starts_at": "2030-01-10T10:00", "with_whom": "Jo Hart (HCA)", "place": "Room 2"}}),
        )
        .unwrap();
    let review = window.invoke("get_review", json!({"nhsNumber": "9434765919"})).unwrap();
    assert_eq!(review["status"], "contact1_booked");
    assert_eq!(review["contact1"], "10 January 2030 at 10:00 with Jo Hart (HCA), Room 2");
    window.invoke("set_review_month", json!({"nhsNumber": "9434765919", "month": 9})).unwrap();
    let review = window.invoke("get_review", json!({"nhsNumber": "9434765919"})).unwrap();
    assert_eq!(review["review_month"], 9);
}

#[test]
fn settings_are_checked_before_they_are_saved() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    window.sign_in("admin");
    let mut settings = window.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings["practice_name"], "Riverside Surgery (demonstration)");
    settings["reinvite_after_days"] = json!(3);
    settings["review_name"] = json!(" ");
    let refused =
        window.invoke("save_settings", json!({"settings": settings.clone()})).unwrap_err();
    assert_eq!(refused["code"], "invalid_input");
    assert!(refused["message"].as_str().unwrap().contains("between 7 and 60"), "{refused}");
    settings["reinvite_after_days"] = json!(21);
    settings["review_name"] = json!("annual health review");
    settings["cohort"] = json!(["type-2-diabetes"]);
    assert_eq!(window.invoke("save_settings", json!({"settings": settings})).unwrap(), 3);
    let saved = window.invoke("get_settings", json!({})).unwrap();
    assert_eq!(
        (saved["reinvite_after_days"].clone(), saved["cohort"].clone()),
        (json!(21), json!(["type-2-diabetes"]))
    );
}

#[test]
fn the_letterhead_logo_is_checked_and_kept() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    window.sign_in("admin");
    let logo = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/logo.png");
    window.invoke("set_logo", json!({"path": logo})).unwrap();
    let settings = window.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings["has_logo"], true);
    let mut changed = settings.clone();
    changed["phone"] = json!("0113 496 0001");
    window.invoke("save_settings", json!({"settings": changed})).unwrap();
    assert_eq!(
        window.invoke("get_settings", json!({})).unwrap()["has_logo"],
        true,
        "saving settings keeps the logo"
    );
    let not_png = sandbox.write("logo.csv", "a,b\n");
    let refused = window.invoke("set_logo", json!({"path": not_png})).unwrap_err();
    assert_eq!(
        refused,
        json!({"code": "invalid_input", "message": "the logo must be a PNG image"})
    );
    let broken = sandbox.write("broken.png", b"\x89PNG\r\n\x1a\nnot really");
    let refused = window.invoke("set_logo", json!({"path": broken})).unwrap_err();
    assert!(
        refused["message"].as_str().unwrap().starts_with("the logo cannot be read as an image"),
        "{refused}"
    );
    window.invoke("set_logo", json!({"path": null})).unwrap();
    assert_eq!(window.invoke("get_settings", json!({})).unwrap()["has_logo"], false);
}

#[test]
fn the_contact_1_screen_saves_each_value_offers_mmol_for_a_percentage_and_finishes() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    // Someone registered with diabetes and no review open yet this year.
    let person = without_an_open_review(&sandbox, "type-2-diabetes");
    let nhs = person.details.nhs_number.as_str().to_string();

    let view = window.invoke("get_checklist", json!({"nhsNumber": nhs})).unwrap();
    assert_eq!(view["can_finish"], true);
    let items: Vec<&str> = view["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["lines"].as_array().unwrap().iter().map(|l| l["item"].as_str().unwrap()))
        .collect();
    assert!(items.contains(&"hba1c") && items.contains(&"foot-check"), "{items:?}");
    assert_eq!(items.iter().filter(|i| **i == "bp-clinic").count(), 1, "each item once");

    // 7.2 is refused as a likely percentage, with the mmol/mol value offered, not recorded.
    let refused = window
        .invoke(
            "record_value_now",
            json!({"nhsNumber": nhs, "entry": {"item": "hba1c", "value": "7.2"}}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "invalid_input");
    assert_eq!(refused["suggestion"], "55");
    assert!(refused["message"].as_str().unwrap().contains("DCCT"), "{refused}");

    let view = window
        .invoke(
            "record_value_now",
            json!({"nhsNumber": nhs, "entry": {"item": "hba1c", "value": "55"}}),
        )
        .unwrap();
    let line = |view: &Value, item: &str| -> Value {
        view["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["lines"].as_array().unwrap().clone())
            .find(|l| l["item"] == item)
            .unwrap()
    };
    assert_eq!(line(&view, "hba1c")["state"], "recorded");
    assert_eq!(line(&view, "hba1c")["current"]["text"], "55 mmol/mol");
    assert_eq!(view["review"]["status"], "due", "the first value opens the review");

    // A second value for the same item is refused: a correction needs a reason.
    let again = window
        .invoke(
            "record_value_now",
            json!({"nhsNumber": nhs, "entry": {"item": "hba1c", "value": "60"}}),
        )
        .unwrap_err();
    assert_eq!(again["code"], "refused");
    let id = line(&view, "hba1c")["current"]["id"].as_i64().unwrap();
    let view = window
        .invoke(
            "correct_value",
            json!({"nhsNumber": nhs, "observation": id, "entry": {"item": "hba1c", "value": "57"}, "reason": "misread the report"}),
        )
        .unwrap();
    let corrected = line(&view, "hba1c");
    assert_eq!(corrected["current"]["text"], "57 mmol/mol");
    let history = corrected["history"].as_array().unwrap();
    assert!(
        history.iter().any(|h| h["text"] == "55 mmol/mol"
            && h["retracted"].as_str().unwrap().ends_with("misread the report")),
        "{history:?}"
    );

    // Finishing with items missing is refused and names them; marking them lets it finish.
    let early = window.invoke("finish_appointment", json!({"nhsNumber": nhs})).unwrap_err();
    assert!(early["message"].as_str().unwrap().contains("foot check"), "{early}");
    assert!(!early["message"].as_str().unwrap().contains("BMI"), "BMI follows weight: {early}");
    let missing: Vec<String> = items
        .iter()
        .filter(|i| !["hba1c", "bmi", "phq9"].contains(i))
        .map(|i| i.to_string())
        .collect();
    let view = window
        .invoke(
            "mark_items_not_done",
            json!({"nhsNumber": nhs, "items": missing, "reason": "declined", "note": "short of time"}),
        )
        .unwrap();
    assert_eq!(line(&view, "foot-check")["state"], "not_done");
    let done = window.invoke("finish_appointment", json!({"nhsNumber": nhs})).unwrap();
    assert_eq!(done["finished"]["results_complete"], true);
    assert_eq!(done["review"]["status"], "results_complete");
    // The record's timeline tells the story in words.
    let record = window.invoke("get_patient", json!({"nhsNumber": nhs})).unwrap();
    let whats: Vec<&str> = record["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["what"].as_str().unwrap())
        .collect();
    for what in ["Value recorded", "Value corrected", "Marked not done", "Results complete"] {
        assert!(whats.contains(&what), "{what} is on the timeline: {whats:?}");
    }
}

#[test]
fn the_triage_screens_list_act_and_refuse_approval_while_a_red_finding_waits() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    let list = window.invoke("triage_worklist", json!({})).unwrap();
    let rows = list["rows"].as_array().unwrap();
    assert!(!rows.is_empty(), "the demo has reviews waiting: {list}");
    // Urgent rows come first.
    let groups: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap()).collect();
    let first_other = groups.iter().position(|g| *g != "urgent").unwrap_or(groups.len());
    assert!(groups[first_other..].iter().all(|g| *g != "urgent"), "{groups:?}");

    // Someone whose results are complete: routed and approved through the commands.
    let row = rows
        .iter()
        .find(|r| r["group"] == "awaiting_review")
        .expect("a review whose results are complete");
    let nhs = row["nhs_number"].as_str().unwrap();
    let view = window.invoke("get_triage", json!({"nhsNumber": nhs})).unwrap();
    assert_eq!(view["status"], "results_complete");
    assert_eq!(view["can_approve"], false, "not routed yet");
    assert!(view["approval_blocked"].as_str().unwrap().contains("who the conversation is with"));
    let refused = window
        .invoke("record_triage", json!({"nhsNumber": nhs, "request": {"kind": "approve"}}))
        .unwrap_err();
    assert_eq!(refused["code"], "refused");
    let bad_role = window
        .invoke(
            "record_triage",
            json!({"nhsNumber": nhs, "request": {"kind": "route", "role": "surgeon"}}),
        )
        .unwrap_err();
    assert_eq!(bad_role["code"], "invalid_input");
    let routed = window
        .invoke(
            "record_triage",
            json!({"nhsNumber": nhs, "request": {"kind": "route", "role": "pharmacist", "clinician": "R Shah"}}),
        )
        .unwrap();
    assert_eq!(routed["route"]["role_label"], "Pharmacist");
    assert_eq!(routed["can_approve"], true, "{routed}");
    let approved = window
        .invoke("record_triage", json!({"nhsNumber": nhs, "request": {"kind": "approve"}}))
        .unwrap();
    assert_eq!(approved["status"], "triaged");
    assert_eq!(approved["approved"], true);

    // A red finding that waits blocks approval until it is acknowledged.
    if let Some(urgent) = rows.iter().find(|r| r["group"] == "urgent") {
        let nhs = urgent["nhs_number"].as_str().unwrap();
        let view = window.invoke("get_triage", json!({"nhsNumber": nhs})).unwrap();
        assert_eq!(view["can_approve"], false);
        let red = view["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap().clone())
            .find(|f| f["severity"] == "red" && f["acknowledged"].is_null())
            .expect("an unacknowledged red finding");
        let no_reason = window
            .invoke(
                "acknowledge_finding",
                json!({"nhsNumber": nhs, "request": {"observation": red["observation"], "rule": red["rule"], "action": "no_action"}}),
            )
            .unwrap_err();
        assert!(no_reason["message"].as_str().unwrap().contains("why"), "{no_reason}");
        let done = window
            .invoke(
                "acknowledge_finding",
                json!({"nhsNumber": nhs, "request": {"observation": red["observation"], "rule": red["rule"], "action": "referred", "note": "Urgent referral sent"}}),
            )
            .unwrap();
        let acknowledged = done["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap().clone())
            .find(|f| f["observation"] == red["observation"] && f["rule"] == red["rule"])
            .unwrap();
        assert!(acknowledged["acknowledged"]
            .as_str()
            .unwrap()
            .starts_with("Referred: Urgent referral sent"));
    }

    // The rules in Settings, which only an administrator changes: a threshold changed with a
    // reason, then restored.
    window.sign_in("admin");
    let rules = window.invoke("list_rules", json!({})).unwrap();
    let potassium = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "potassium-very-high")
        .unwrap();
    assert_eq!(potassium["thresholds"][0]["value"], "6.0");
    let no_reason = window
        .invoke(
            "change_rule",
            json!({"rule": "potassium-very-high", "thresholds": ["6.5"], "reason": " "}),
        )
        .unwrap_err();
    assert!(no_reason["message"].as_str().unwrap().contains("why"));
    let not_a_number = window
        .invoke("change_rule", json!({"rule": "potassium-very-high", "thresholds": ["six"], "reason": "local renal advice"}))
        .unwrap_err();
    assert!(not_a_number["message"].as_str().unwrap().contains("'six'"), "{not_a_number}");
    let changed = window
        .invoke("change_rule", json!({"rule": "potassium-very-high", "thresholds": ["6.5"], "reason": "local renal advice"}))
        .unwrap();
    let potassium = changed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "potassium-very-high")
        .unwrap();
    assert_eq!(potassium["thresholds"][0]["value"], "6.5");
    assert_eq!(potassium["thresholds"][0]["shipped"], "6.0");
    assert!(potassium["changed"].as_str().unwrap().contains("local renal advice"));
    let restored = window
        .invoke("change_rule", json!({"rule": "potassium-very-high", "reason": "back to NICE"}))
        .unwrap();
    let potassium = restored["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "potassium-very-high")
        .unwrap();
    assert_eq!(potassium["thresholds"][0]["value"], "6.0");
}

#[test]
fn the_contact_1_screen_flags_a_red_value_the_moment_it_is_saved() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    // Someone with hypertension and no review open yet this year, seen at contact 1 today.
    let person = without_an_open_review(&sandbox, "hypertension");
    let nhs = person.details.nhs_number.as_str();
    let view = window
        .invoke(
            "record_value_now",
            json!({"nhsNumber": nhs, "entry": {"item": "bp-clinic", "value": "182/96"}}),
        )
        .unwrap();
    let line = view["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["lines"].as_array().unwrap().clone())
        .find(|l| l["item"] == "bp-clinic")
        .unwrap();
    assert_eq!(line["red_flag"][0], "Severe hypertension: clinic blood pressure 180/120 or above");
    let list = window.invoke("triage_worklist", json!({})).unwrap();
    let row = list["rows"].as_array().unwrap().iter().find(|r| r["nhs_number"] == nhs).unwrap();
    assert_eq!(row["group"], "urgent");
    assert_eq!(row["waiting"][0], "Blood pressure (clinic) 182/96 mmHg");
}

/// The range the Reports screen's "last 12 months" covers: the first of the month eleven
/// months ago to today.
fn last_twelve_months() -> (String, String) {
    use chrono::Datelike;
    let today = today();
    let mut from = today.with_day(1).unwrap();
    for _ in 0..11 {
        from = from.pred_opt().unwrap().with_day(1).unwrap();
    }
    (from.to_string(), today.to_string())
}

/// The practice report the library works out for a range, on its own connection.
fn library_report(sandbox: &Sandbox, from: &str, to: &str) -> (Store, PracticeReport) {
    let store = Store::open(&sandbox.db()).unwrap();
    let range = Range::new(from.parse().unwrap(), to.parse().unwrap()).unwrap();
    let rules = alongside::assets::rules(&catalogue()).unwrap();
    let report = practice_report(&store, &catalogue(), &rules, range, today()).unwrap();
    (store, report)
}

#[test]
fn the_reports_screen_shows_the_practice_report_and_the_people_behind_each_figure() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    let (from, to) = last_twelve_months();
    let shown = window.invoke("report", json!({"from": from, "to": to})).unwrap();
    let (store, expected) = library_report(&sandbox, &from, &to);
    assert_eq!(shown, report_json(&expected), "the screen draws the library's report");
    let conversations = expected.report.figure(Group::All, "conversations").unwrap().measure;
    assert!(conversations.count() > 0, "the demo held conversations in the last year");
    assert_eq!(shown["groups"]["all"]["figures"]["conversations"]["kind"], "count");
    assert_eq!(shown["groups"]["all"]["figures"]["attended"]["kind"], "share");
    assert_eq!(shown["pack_days"][1]["from_days"], 7, "the bars say which days they hold");
    assert_eq!(shown["pack_days"][5]["from_days"], Value::Null, "no pack sent");

    // The people behind a share: everyone it counts out of, the counted ones marked.
    for (group, key) in [
        (Group::All, "pack_in_time"),
        (Group::Multiple, "attended"),
        (Group::Frailty, "invited"),
        (Group::Single, "plan_all_four"),
    ] {
        let listed = window
            .invoke(
                "report_people",
                json!({"from": from, "to": to, "group": group.key(), "figure": key}),
            )
            .unwrap();
        let behind = people_behind(&store, &expected, group, key).unwrap();
        assert_eq!(listed, people_json(group, key, &behind), "{key} for {group:?}");
        let measure = expected.report.figure(group, key).unwrap().measure;
        let people = listed["people"].as_array().unwrap();
        assert_eq!(Some(people.len() as u32), measure.of(), "{key}: everyone it is out of");
        assert_eq!(listed["counted"], measure.count(), "{key}: the counted ones");
    }
    let listings = Store::open(&sandbox.db())
        .unwrap()
        .audit_entries(
            &alongside::store::AuditFilter {
                action: Some("report.people_listed".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .unwrap();
    assert_eq!(listings.len(), 4, "each list of people is recorded");
    assert_eq!(
        listings[0].entry.summary,
        format!("the people behind plan_all_four from {from} to {to} read")
    );

    // Patient feedback is reported only in aggregate: nobody is listed behind it.
    for key in ["feedback_forms", "collaborate_mean", "care_mean"] {
        let refused = window
            .invoke("report_people", json!({"from": from, "to": to, "group": "all", "figure": key}))
            .unwrap_err();
        assert_eq!(refused["code"], "invalid_input", "{key}");
        assert!(
            refused["message"].as_str().unwrap().contains("reported only in aggregate"),
            "{refused}"
        );
    }
    let no_group = window
        .invoke("report_people", json!({"from": from, "to": to, "group": "tall", "figure": "due"}))
        .unwrap_err();
    assert_eq!(no_group["code"], "invalid_input");
    let backwards = window.invoke("report", json!({"from": to, "to": from})).unwrap_err();
    assert_eq!(backwards["code"], "invalid_input");
    assert!(backwards["message"].as_str().unwrap().contains("give the earlier date first"));
    let empty = window.invoke("report", json!({"from": "", "to": to})).unwrap_err();
    assert_eq!(empty, json!({"code": "invalid_input", "message": "choose the first day"}));
}

#[test]
fn the_report_files_are_written_where_chosen_and_audited() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    let (from, to) = last_twelve_months();
    let figures = sandbox.path("figures.csv");
    let saved = window
        .invoke("export_report_figures", json!({"from": from, "to": to, "path": figures}))
        .unwrap();
    assert_eq!(saved["file"], figures.to_str().unwrap());
    let rows = sandbox.path("rows.csv");
    window.invoke("export_report_rows", json!({"from": from, "to": to, "path": rows})).unwrap();
    let (_, expected) = library_report(&sandbox, &from, &to);
    assert_eq!(std::fs::read(&figures).unwrap(), figures_csv(&expected));
    assert_eq!(std::fs::read(&rows).unwrap(), rows_csv(&expected));

    let audited = super::support::sql_rows(
        &sandbox.db(),
        "SELECT summary FROM audit_event WHERE action = 'report.exported' ORDER BY id",
    );
    assert_eq!(audited.len(), 2, "{audited:?}");
    let where_to = |path: &std::path::Path| std::fs::canonicalize(path).unwrap();
    assert!(audited[0][0].starts_with("the report's figures for"), "{audited:?}");
    assert!(audited[0][0].ends_with(where_to(&figures).to_str().unwrap()), "{audited:?}");
    assert!(audited[1][0].starts_with("the report's anonymised rows"), "{audited:?}");
    assert!(audited[1][0].ends_with(where_to(&rows).to_str().unwrap()), "{audited:?}");

    // A folder that is not there: nothing written, nothing recorded as sent.
    let nowhere = sandbox.path("no-such-folder/figures.csv");
    let failed = window
        .invoke("export_report_figures", json!({"from": from, "to": to, "path": nowhere}))
        .unwrap_err();
    assert_eq!(failed["code"], "failed");
    assert!(failed["message"].as_str().unwrap().contains("no-such-folder"), "{failed}");
    let unnamed = window
        .invoke("export_report_rows", json!({"from": from, "to": to, "path": ""}))
        .unwrap_err();
    assert_eq!(unnamed["code"], "invalid_input");
    let audited = super::support::sql_rows(
        &sandbox.db(),
        "SELECT count(*) FROM audit_event WHERE action = 'report.exported'",
    );
    assert_eq!(audited[0][0], "2", "a file that was not written is not recorded");

    // The steering group's report: the same PDF the library makes, audited as printed.
    let pdf = sandbox.path("steering.pdf");
    window.invoke("export_report_pdf", json!({"from": from, "to": to, "path": pdf})).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF was written");
    let made = alongside::exchange::reports::report_pdf(&expected);
    assert!(bytes.len().abs_diff(made.len()) < 200, "the library's report, as the window saved it");
    let printed = super::support::sql_rows(
        &sandbox.db(),
        "SELECT summary FROM audit_event WHERE action = 'report.printed'",
    );
    assert_eq!(printed.len(), 1, "{printed:?}");
    assert!(printed[0][0].ends_with(where_to(&pdf).to_str().unwrap()), "{printed:?}");
}

#[test]
fn a_paper_feedback_form_is_entered_checked_and_corrected_with_a_reason() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    window.sign_in("manager");
    // Someone registered whose latest conversation was held and whose form has not come back.
    let (nhs, held_on) = {
        let store = Store::open(&sandbox.db()).unwrap();
        store
            .all_patients()
            .unwrap()
            .into_iter()
            .filter(|p| {
                p.details.status == alongside::domain::person::RegistrationStatus::Registered
            })
            .find_map(|p| {
                let held = store.conversations_held(p.id).unwrap();
                let (cycle, _, on) = *held.last()?;
                let no_form = store.feedback_forms(cycle).unwrap().is_empty();
                no_form.then(|| (p.details.nhs_number.as_str().to_string(), on))
            })
            .expect("the demo has a conversation held with someone registered, with no form yet")
    };
    let range = json!({"from": held_on.to_string(), "to": today().to_string()});
    let before = window.invoke("report", range.clone()).unwrap();
    let forms =
        |report: &Value| report["groups"]["all"]["figures"]["feedback_forms"]["count"].clone();

    let shown = window.invoke("feedback_for", json!({"nhsNumber": nhs})).unwrap();
    let wording = &shown["wording"];
    assert_eq!(wording["collaborate"], json!(alongside::domain::feedback::COLLABORATE_ITEMS));
    assert_eq!(wording["care"], json!(alongside::domain::feedback::CARE_ITEMS));
    assert_eq!(wording["collaborate_answers"][4], "Every effort was made");
    assert_eq!(wording["care_answers"][0], "Poor");
    let review = &shown["reviews"][0];
    assert_eq!(review["conversation_on"], held_on.to_string(), "the newest conversation first");
    assert_eq!(review["form"], Value::Null, "no form yet");
    let year = review["year"].clone();

    let entry = |collaborate: Value, care: Value, on: String| json!({"nhsNumber": nhs, "entry": {"year": year, "completedOn": on, "collaborate": collaborate, "care": care}});
    let on = today().to_string();
    let blank = window
        .invoke("enter_feedback", entry(json!(["", "", ""]), json!(vec![""; 10]), on.clone()))
        .unwrap_err();
    assert_eq!(blank["code"], "invalid_input");
    assert!(blank["message"].as_str().unwrap().contains("every answer on the form is blank"));
    let out_of_range = window
        .invoke("enter_feedback", entry(json!(["4", "7", "4"]), json!(vec!["5"; 10]), on.clone()))
        .unwrap_err();
    assert!(
        out_of_range["message"]
            .as_str()
            .unwrap()
            .starts_with("collaboRATE question 2 is answered 7"),
        "the refusal names the question: {out_of_range}"
    );
    let care_refused = window
        .invoke(
            "enter_feedback",
            entry(
                json!(["4", "4", "4"]),
                json!(["5", "5", "x", "5", "5", "5", "5", "5", "5", "5"]),
                on.clone(),
            ),
        )
        .unwrap_err();
    assert_eq!(care_refused["message"], "CARE question 3: 'x' is not an answer on the form");
    let too_early = (held_on - chrono::Duration::days(1)).to_string();
    let early = window
        .invoke("enter_feedback", entry(json!(["4", "4", "4"]), json!(vec!["5"; 10]), too_early))
        .unwrap_err();
    assert!(
        early["message"].as_str().unwrap().contains("must be from the conversation"),
        "{early}"
    );
    let no_date = window
        .invoke(
            "enter_feedback",
            entry(json!(["4", "4", "4"]), json!(vec!["5"; 10]), String::new()),
        )
        .unwrap_err();
    assert_eq!(no_date["message"], "choose the date on the form");

    // The form as ticked, with a blank and a "does not apply", shown back to check.
    let care = json!(["5", "4", "n", "5", "5", "5", "", "4", "5", "5"]);
    let saved = window
        .invoke("enter_feedback", entry(json!(["4", "4", "3"]), care.clone(), on.clone()))
        .unwrap();
    let form = &saved["reviews"][0]["form"];
    assert_eq!(form["collaborate"], json!(["4", "4", "3"]));
    assert_eq!(form["care"], care);
    assert_eq!(form["completed_on"], on);
    let after = window.invoke("report", range.clone()).unwrap();
    assert_eq!(forms(&after).as_u64(), forms(&before).as_u64().map(|n| n + 1), "it counts");

    // A second form for the same conversation is refused; a correction needs a reason.
    let again = window
        .invoke("enter_feedback", entry(json!(["4", "4", "4"]), care.clone(), on.clone()))
        .unwrap_err();
    assert_eq!(again["code"], "invalid_input");
    let id = form["id"].clone();
    let correct = |reason: &str| json!({"nhsNumber": nhs, "entry": {"year": year, "completedOn": on, "collaborate": ["4", "4", "4"], "care": care, "replaces": id, "reason": reason}});
    let no_reason = window.invoke("enter_feedback", correct(" ")).unwrap_err();
    assert_eq!(
        no_reason,
        json!({"code": "invalid_input", "message": "say why the form is being corrected"})
    );
    let corrected = window.invoke("enter_feedback", correct("question 3 misread")).unwrap();
    let review = &corrected["reviews"][0];
    assert_eq!(review["form"]["collaborate"], json!(["4", "4", "4"]));
    assert_ne!(review["form"]["id"], id, "a correction is a new form");
    assert_eq!(review["replaced"], 1, "the first form is kept, no longer counting");
    let after = window.invoke("report", range).unwrap();
    assert_eq!(forms(&after), forms(&before).as_u64().map(|n| n + 1).unwrap(), "counted once");

    // Both are audited against the person, without the answers.
    let audited = super::support::sql_rows(
        &sandbox.db(),
        &format!(
            "SELECT a.summary FROM audit_event a JOIN patient p ON p.id = a.patient_id
             WHERE a.action = 'feedback.entered' AND p.nhs_number = '{nhs}' ORDER BY a.id"
        ),
    );
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert_eq!(audited[0][0], format!("feedback form of {on} entered"));
    assert_eq!(audited[1][0], format!("feedback form of {on} corrected; why: question 3 misread"));
    // A practice manager does not look people up; a receptionist sees the form on the record.
    window.sign_in("reception");
    let record = window.invoke("get_patient", json!({"nhsNumber": nhs})).unwrap();
    assert_eq!(record["timeline"][0]["what"], "Feedback form entered");
}

#[test]
fn a_review_opened_after_the_range_still_counts_as_due_and_not_invited_in_it() {
    use alongside::domain::cycle::Booking;
    use alongside::exchange::recall::{act_on_review, current_review_month, ReviewAction};
    use chrono::Datelike;

    let sandbox = Sandbox::new();
    let today = today();
    let born = format!("1950-{:02}-02", today.month());
    let mut store = Store::open(&sandbox.db()).unwrap();
    let file = alongside::exchange::register_import::RegisterFile::read(
        register(&[&format!("9434765919,Okafor,Grace,{born},44054006")]).as_bytes(),
    )
    .unwrap();
    alongside::exchange::register_import::import_register(
        &mut store,
        &Actor::new("t"),
        &catalogue(),
        today,
        &file,
        "one.csv",
        false,
    )
    .unwrap();
    let range = json!({"from": today.with_day(1).unwrap().to_string(), "to": today.to_string()});
    let due = |report: &Value| {
        let f = &report["groups"]["all"]["figures"];
        (f["due"]["count"].clone(), f["invited"]["count"].clone(), f["invited"]["out_of"].clone())
    };
    alongside::exchange::access::add_demo_accounts(&mut store, &Actor::new("t")).unwrap();
    let window = Window::on(Store::open(&sandbox.db()).unwrap());
    window.sign_in("gp");
    let before = window.invoke("report", range.clone()).unwrap();
    assert_eq!(due(&before), (json!(1), json!(0), json!(1)), "Grace is due this month");

    // Her review is opened tomorrow, after the range ends, by booking contact 1.
    let tomorrow = today.succ_opt().unwrap();
    let settings = store.practice_settings(&catalogue()).unwrap();
    let number = alongside::domain::nhs_number::NhsNumber::parse("9434765919").unwrap();
    let id = store.patient(&number).unwrap().unwrap().id;
    let month = current_review_month(&store, id, today).unwrap();
    let booking =
        Booking::new(tomorrow.and_hms_opt(9, 0, 0).unwrap(), "Jo Hart", "Room 2").unwrap();
    let action = ReviewAction::BookContact1(booking);
    act_on_review(&mut store, &Actor::new("t"), &settings, &number, month, action, tomorrow)
        .unwrap();
    let after = window.invoke("report", range).unwrap();
    assert_eq!(
        due(&after),
        due(&before),
        "up to today she was due and not invited, whatever happened later"
    );
}

#[test]
fn every_command_is_refused_exactly_when_the_permission_table_says_so() {
    use alongside::domain::access::{Need, Role};
    let sandbox = Sandbox::new();
    let window = Window::demo(&sandbox);
    let table = alongside::assets::permissions().unwrap();
    let not_signed_in = window.invoke("search_patients", json!({})).unwrap_err();
    assert_eq!(not_signed_in["code"], "sign_in_needed");
    let unknown = window.invoke("no_such_command", json!({})).unwrap_err();
    assert_eq!(unknown["code"], "not_allowed");
    for (username, _, role) in alongside::exchange::access::DEMO_ACCOUNTS {
        window.sign_in(username);
        for (command, need) in alongside::desktop::COMMANDS {
            // Signing out or locking would end the session the rest of the loop needs.
            if matches!(*command, "sign_out" | "lock_screen" | "sign_in") {
                continue;
            }
            let refused =
                window.invoke(command, json!({})).err().is_some_and(|e| e["code"] == "not_allowed");
            let permitted = table.permits(Some(role), *need);
            assert_eq!(refused, !permitted, "{} running {command}", Role::id(role));
            assert!(permitted || *need != Need::SignedIn);
        }
    }
    window.invoke("lock_screen", json!({})).unwrap();
    let locked = window.invoke("search_patients", json!({})).unwrap_err();
    assert_eq!(locked["code"], "sign_in_needed");
    window.invoke("sign_out", json!({})).unwrap();
    let signed_out = window.invoke("app_info", json!({})).unwrap_err();
    assert_eq!(signed_out["code"], "sign_in_needed");
}

#[test]
fn the_session_locks_itself_after_the_idle_minutes() {
    use std::sync::{Arc, Mutex};
    let sandbox = Sandbox::new();
    drop(Window::demo(&sandbox));
    let now = Arc::new(Mutex::new(chrono::Utc::now().naive_utc()));
    let clock = now.clone();
    let window = Window::with_clock(
        Store::open(&sandbox.db()).unwrap(),
        Box::new(move || *clock.lock().unwrap()),
    );
    window.sign_in("reception");
    *now.lock().unwrap() += chrono::Duration::minutes(4);
    window.invoke("app_info", json!({})).unwrap();
    *now.lock().unwrap() += chrono::Duration::minutes(5);
    window.invoke("app_info", json!({})).unwrap();
    // The window locks itself after 5 minutes and saves what was typed first; the core gives
    // it a minute more before it refuses on its own.
    *now.lock().unwrap() += chrono::Duration::minutes(5) + chrono::Duration::seconds(1);
    window.invoke("app_info", json!({})).unwrap();
    *now.lock().unwrap() += chrono::Duration::minutes(6) + chrono::Duration::seconds(1);
    let idle = window.invoke("app_info", json!({})).unwrap_err();
    assert_eq!(idle["code"], "sign_in_needed");
    let state = window.invoke("session_state", json!({})).unwrap();
    assert_eq!(state["locked"], true);
    let back = window.sign_in("reception");
    assert_eq!(back["locked"], false);
    assert_eq!(back["user"]["role"], "receptionist");
}

#[test]
fn an_administrator_manages_staff_accounts_and_each_change_is_recorded() {
    let sandbox = Sandbox::new();
    let window = Window::demo(&sandbox);
    window.sign_in("admin");
    let staff = window.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(staff["accounts"].as_array().unwrap().len(), 7, "one demo account per role");
    assert_eq!(staff["roles"].as_array().unwrap().len(), 7);
    assert_eq!(staff["you"], "admin");

    let added = window
        .invoke(
            "add_staff_account",
            json!({"username": "JHart", "name": "Jo Hart", "roleId": "hca", "password": "a-long-password"}),
        )
        .unwrap();
    assert_eq!(added["username"], "jhart", "usernames are kept in lower case");
    assert_eq!(added["role_name"], "Healthcare assistant");
    let short = window
        .invoke(
            "add_staff_account",
            json!({"username": "kim", "name": "Kim Lee", "roleId": "nurse", "password": "short"}),
        )
        .unwrap_err();
    assert_eq!(short["code"], "invalid_input");
    assert!(short["message"].as_str().unwrap().contains("10"), "{short}");
    let again = window
        .invoke(
            "add_staff_account",
            json!({"username": "jhart", "name": "Jo Hart", "roleId": "hca", "password": "a-long-password"}),
        )
        .unwrap_err();
    assert_eq!(again["code"], "refused", "{again}");

    window.invoke("set_staff_role", json!({"username": "jhart", "roleId": "nurse"})).unwrap();
    let own = window.invoke("set_staff_active", json!({"username": "admin", "active": false}));
    assert_eq!(own.unwrap_err()["code"], "refused", "no one disables their own account");
    window.invoke("set_staff_active", json!({"username": "jhart", "active": false})).unwrap();
    let disabled = window
        .invoke("sign_in", json!({"username": "jhart", "password": "a-long-password"}))
        .unwrap_err();
    assert_eq!(disabled["code"], "invalid_input");
    window.sign_in("admin");
    window.invoke("set_staff_active", json!({"username": "jhart", "active": true})).unwrap();
    window
        .invoke("set_staff_password", json!({"username": "jhart", "password": "another-password"}))
        .unwrap();
    let jo = window
        .invoke("sign_in", json!({"username": "jhart", "password": "another-password"}))
        .unwrap();
    assert_eq!(jo["user"]["role"], "nurse", "the new role and password hold");
    let refused = window.invoke("list_accounts", json!({})).unwrap_err();
    assert_eq!(refused["code"], "not_allowed", "a nurse does not manage accounts");
    let wrong = window
        .invoke(
            "change_my_password",
            json!({"current": "not-it-at-all", "password": "third-password"}),
        )
        .unwrap_err();
    assert_eq!(wrong["code"], "invalid_input");
    window
        .invoke(
            "change_my_password",
            json!({"current": "another-password", "password": "third-password"}),
        )
        .unwrap();
    window.invoke("sign_in", json!({"username": "jhart", "password": "third-password"})).unwrap();

    let store = Store::open(&sandbox.db()).unwrap();
    let changes: Vec<(String, String)> = store
        .audit_entries(
            &alongside::store::AuditFilter { action: Some("account".into()), ..Default::default() },
            100,
            0,
        )
        .unwrap()
        .into_iter()
        .filter(|row| row.entry.summary.contains("jhart"))
        .map(|row| (row.entry.actor, row.entry.action))
        .collect();
    let expected = [
        ("jhart", "account.password_changed"),
        ("admin", "account.password_changed"),
        ("admin", "account.enabled"),
        ("admin", "account.disabled"),
        ("admin", "account.role_changed"),
        ("admin", "account.added"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(changes, expected, "each change, by whom, newest first");
}

#[test]
fn the_audit_screen_filters_the_trail_and_its_export_is_itself_recorded() {
    let sandbox = Sandbox::new();
    let window = Window::demo(&sandbox);
    window.sign_in("nurse");
    let everyone = window.invoke("search_patients", json!({"request": {"status": "all"}})).unwrap();
    let nhs = everyone["people"][0]["nhs_number"].as_str().unwrap().to_string();
    window.invoke("get_patient", json!({"nhsNumber": nhs})).unwrap();
    let refused = window.invoke("audit_trail", json!({"filter": {}, "offset": 0})).unwrap_err();
    assert_eq!(refused["code"], "not_allowed", "only administrators read the trail");

    window.sign_in("admin");
    let choices = window.invoke("audit_choices", json!({})).unwrap();
    assert!(choices["users"].as_array().unwrap().contains(&json!("nurse")));
    assert!(choices["actions"].as_array().unwrap().contains(&json!("record.viewed")));
    let filter = json!({"nhs_number": nhs, "user": "Nurse", "action": "record"});
    let page = window.invoke("audit_trail", json!({"filter": filter, "offset": 0})).unwrap();
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["user"], "nurse");
    assert_eq!(entries[0]["action"], "record.viewed");
    assert_eq!(entries[0]["nhs_number"], nhs.as_str());
    assert_eq!(page["more"], false);

    let all = window.invoke("audit_trail", json!({"filter": {}, "offset": 0})).unwrap();
    assert_eq!(all["entries"].as_array().unwrap().len(), 100, "a page of 100");
    assert_eq!(all["more"], true);
    let next = window.invoke("audit_trail", json!({"filter": {}, "offset": 100})).unwrap();
    assert!(
        next["entries"][0]["id"].as_i64().unwrap() < all["entries"][99]["id"].as_i64().unwrap(),
        "the next page goes on to older entries"
    );
    let bad_day = window
        .invoke("audit_trail", json!({"filter": {"from": "23/11/2026"}, "offset": 0}))
        .unwrap_err();
    assert_eq!(bad_day["message"], "the first day '23/11/2026' is not a date");
    let unknown = window
        .invoke("audit_trail", json!({"filter": {"nhs_number": "9434765919"}, "offset": 0}))
        .unwrap_err();
    assert_eq!(unknown["code"], "not_found", "{unknown}");

    let path = sandbox.path("trail.csv");
    let saved =
        window.invoke("export_audit_trail", json!({"filter": filter, "path": path})).unwrap();
    assert_eq!(saved["entries"], 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains(&nhs) && text.contains("record.viewed"), "{text}");
    let latest = window.invoke("audit_trail", json!({"filter": {}, "offset": 0})).unwrap();
    assert_eq!(latest["entries"][0]["action"], "audit.exported");
    assert_eq!(latest["entries"][0]["user"], "admin");

    let checked = window.invoke("verify_audit_trail", json!({})).unwrap();
    assert_eq!(checked["intact"], true);
    assert_eq!(checked["last_id"], latest["entries"][0]["id"]);
}

#[test]
fn a_new_practice_asks_for_its_first_administrator_once() {
    let sandbox = Sandbox::new();
    let window = Window::on(Store::open(&sandbox.db()).unwrap());
    let state = window.invoke("session_state", json!({})).unwrap();
    assert_eq!(state["has_accounts"], false);
    assert_eq!(state["user"], Value::Null);
    let refused = window.invoke("search_patients", json!({})).unwrap_err();
    assert_eq!(refused["code"], "sign_in_needed", "nothing is open before the first account");
    let first = |name: &str, password: &str| {
        window.invoke(
            "create_first_administrator",
            json!({"username": "j.hart", "name": name, "password": password}),
        )
    };
    let short = first("Jo Hart", "too-short").unwrap_err();
    assert_eq!(short["code"], "invalid_input");
    let nameless = first("  ", "a-long-enough-password").unwrap_err();
    assert_eq!(nameless["message"], "type the administrator's name");
    let made = first("Jo Hart", "a-long-enough-password").unwrap();
    assert_eq!(made["user"]["username"], "j.hart");
    assert_eq!(made["user"]["role"], "administrator");
    assert_eq!(made["has_accounts"], true);
    window.invoke("search_patients", json!({"request": {"status": "all"}})).unwrap();
    let again = first("Someone Else", "another-long-password").unwrap_err();
    assert_eq!(again["code"], "refused", "only a practice with no accounts gets a first one");
    let accounts = Store::open(&sandbox.db()).unwrap().accounts().unwrap();
    assert_eq!(accounts.len(), 1);
}

#[test]
fn the_about_screen_says_the_version_the_database_and_every_licence() {
    let sandbox = Sandbox::new();
    let window = Window::demo(&sandbox);
    window.sign_in("reception");
    let info = window.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["path_separator"], std::path::MAIN_SEPARATOR.to_string());
    assert!(!info["documents_folder"].as_str().unwrap().is_empty());
    let about = window.invoke("about", json!({})).unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["licence"], "Apache-2.0");
    assert_eq!(about["database_path"], sandbox.db().display().to_string());
    assert_eq!(about["schema_version"], alongside::store::schema_version());
    assert!(about["fonts"][0]["text"].as_str().unwrap().contains("Bitstream"));
    let crates = about["crates"].as_array().unwrap();
    let rusqlite = crates.iter().find(|c| c["name"] == "rusqlite").expect("rusqlite is listed");
    assert_eq!(rusqlite["licence"], "MIT");
    let text = &about["texts"][rusqlite["texts"][0].as_u64().unwrap() as usize];
    assert!(text.as_str().unwrap().contains("Permission is hereby granted"), "MIT's own words");
}
