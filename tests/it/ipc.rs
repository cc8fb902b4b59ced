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

struct Window {
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: WebviewWindow<tauri::test::MockRuntime>,
}

impl Window {
    /// The app on a demonstration practice of 60 people.
    fn open(sandbox: &Sandbox) -> Window {
        let mut store = Store::open(&sandbox.db()).unwrap();
        alongside::exchange::demo::create_demo(
            &mut store,
            &Actor::new("t"),
            &catalogue(),
            today(),
            60,
            5,
        )
        .unwrap();
        let app = configure(mock_builder(), AppState::new(store, catalogue()))
            .build(mock_context(noop_assets()))
            .unwrap();
        let webview =
            tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Window { _app: app, webview }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
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
    assert_eq!(record["timeline"][0]["what"], "Added to the register");

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
