//! The commands the screens call, invoked through Tauri's IPC on the mock runtime: the same
//! JSON in and out as the real window, with no display.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

use alongside::desktop::{configure, AppState};
use alongside::store::{Actor, Store};

use super::support::{catalogue, register, today, Sandbox};

pub(super) struct Window {
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: WebviewWindow<tauri::test::MockRuntime>,
}

impl Window {
    /// The app on a demonstration practice of 60 people.
    pub(super) fn open(sandbox: &Sandbox) -> Window {
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
        let texts = alongside::assets::invitation_texts().unwrap();
        let app = configure(
            mock_builder(),
            AppState::new(
                store,
                catalogue(),
                alongside::assets::rules(&catalogue()).unwrap(),
                texts,
            ),
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let webview =
            tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Window { _app: app, webview }
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

    // The rules in Settings: a threshold changed with a reason, then restored.
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
