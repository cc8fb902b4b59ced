//! The real app in a real window: Xvfb, tauri-driver and WebKitWebDriver drive the debug
//! binary as a receptionist would. `.ci/setup` installs them; without them this test fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use alongside::domain::person::RegistrationStatus;
use alongside::store::Store;

use super::support::{catalogue, Sandbox};

/// The real app on a demonstration practice of the sandbox's own, with a screen and a driver.
/// Fields drop in order: the session closes the window before the driver and screen stop.
struct App {
    session: Session,
    _driver: Driver,
    display: Display,
    demo: PathBuf,
}

/// The demo opened and signed in as one of its accounts.
fn open_demo(sandbox: &Sandbox, username: &str) -> App {
    // Make the demo practice where `alongside demo` looks for it, so the test knows who is in it.
    let data = sandbox.path("data");
    let demo = data.join("alongside/demo.sqlite");
    std::fs::create_dir_all(demo.parent().unwrap()).unwrap();
    sandbox.alongside_plain(&["demo", "--create", demo.to_str().unwrap()]).expect_code(0);
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["demo"]);
    session.sign_in(username);
    App { session, _driver: driver, display, demo }
}

#[test]
fn a_receptionist_finds_a_person_in_the_demo_and_opens_their_record() {
    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "reception");
    let (session, display) = (&app.session, &app.display);
    let chosen = {
        let store = Store::open(&app.demo).unwrap();
        let c = catalogue();
        store
            .all_patients()
            .unwrap()
            .into_iter()
            .find(|p| {
                p.details.status == RegistrationStatus::Registered
                    && p.details.long_term_condition_count(&c) >= 2
                    && !p.details.communication_needs.is_empty()
            })
            .expect("the demo has someone registered, with two conditions and a communication need")
    };
    let person = &chosen.details;

    // The register opens on the demonstration practice.
    let banner = session.find("#demo-banner:not([hidden])");
    assert!(session.text(&banner).contains("Demonstration practice"));
    session.find("#results tbody tr");

    // Type part of the family name and the given name, as people do.
    let search = session.find("#search");
    let typed = format!(
        "{} {}",
        person.name.given(),
        &person.name.family()[..3.min(person.name.family().len())]
    );
    session.type_into(&search, &typed);
    let row = session.find(&format!("tr[data-nhs='{}']", person.nhs_number.as_str()));
    let link = session.find_within(&row, "a.person-link");
    assert_eq!(session.text(&link), format!("{}, {}", person.name.family(), person.name.given()));
    session.click(&link);

    // The record shows who they are, their needs and conditions, and how they came to be here.
    let heading = session.find("#patient-name");
    assert_eq!(session.text(&heading), format!("{} {}", person.name.given(), person.name.family()));
    assert_eq!(session.text(&session.find("#patient-nhs-number")), person.nhs_number.to_string());
    let needs = session.text(&session.find("#patient-needs"));
    for need in &person.communication_needs {
        assert!(needs.contains(&need.label()), "{needs:?} shows {}", need.label());
    }
    let conditions = session.text(&session.find("#patient-conditions"));
    let c = catalogue();
    for diagnosis in &person.conditions {
        let name = c.condition(&diagnosis.condition_id).unwrap().name();
        assert!(conditions.contains(name), "{conditions:?} lists {name}");
    }
    assert!(session.text(&session.find("#patient-timeline")).contains("Added to the register"));
    display.screenshot("e2e-record.png");

    // Back to the register: the search is kept; then the NHS number alone and Enter opens them.
    session.click(&session.find("#back-to-register"));
    let search = session.find("#search");
    assert_eq!(session.property(&search, "value"), typed, "the search is kept");
    session.clear(&search);
    session.type_into(&search, &format!("{}\u{E007}", person.nhs_number));
    let heading = session.find("#patient-name");
    assert_eq!(session.text(&heading), format!("{} {}", person.name.given(), person.name.family()));
    session.click(&session.find("#back-to-register"));
    session.clear(&session.find("#search"));
    session.find("#results tbody tr");
    display.screenshot("e2e-register.png");

    // The administrator takes the register, with where every review has got to, to Excel.
    session.switch_to("admin");
    let sheet = sandbox.path("register-for-the-manager.csv");
    session.click(&session.find("#export-register"));
    display.save_as("Save the register as a spreadsheet", &sheet);
    let saved = session.text(&session.find("#register-export-status .message-success"));
    assert!(saved.contains(sheet.to_str().unwrap()), "{saved}");
    let bytes = std::fs::read(&sheet).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let people = Store::open(&app.demo).unwrap().all_patients().unwrap().len();
    assert_eq!(text.lines().count(), people + 1, "a header and everyone");
    assert!(saved.starts_with(&format!("{people} people saved to")), "{saved}");
    let line = text.lines().find(|l| l.starts_with(person.nhs_number.as_str())).unwrap();
    assert!(line.contains(&person.date_of_birth.format("%Y-%m-%d").to_string()), "{line}");
}

#[test]
fn a_recall_coordinator_prints_the_months_invitations_and_logs_a_call() {
    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "reception");
    let session = &app.session;
    session.click(&session.find("a[data-nav='recall']"));
    let counts = session.text(&session.find("#recall-counts"));
    assert!(counts.contains("due in") && counts.contains("to invite"), "{counts}");
    session.find("#recall-table tbody tr");

    // Write the letters due today into a PDF of the test's own, then say they printed.
    let target = sandbox.path("invitations.pdf");
    let field = session.find("#batch-target");
    session.clear(&field);
    session.type_into(&field, target.to_str().unwrap());
    let write = session.find("#prepare-invitations");
    let due = session.text(&write);
    if due.starts_with("Write") {
        session.click(&write);
        let summary = session.text(&session.find("#batch-summary"));
        assert!(summary.contains(target.to_str().unwrap()), "{summary}");
        assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"), "the PDF was written");
        session.click(&session.find("#confirm-batch"));
        let done = session.text(&session.find("#batch-done"));
        assert!(done.ends_with("recorded as invited today."), "{done}");
        // The list is drawn again once the invitations are recorded.
        session.find_xpath("//button[@id='prepare-invitations' and .='No invitations due today']");
    }
    app.display.screenshot("e2e-recall.png");

    // Open someone from the list and log a phone call that was not answered.
    let link = session.find("#recall-table a.person-link");
    let name = session.text(&link);
    session.click(&link);
    session.find("#review-heading");
    session.click(&session.find("#contact-method option[value='phone']"));
    session.click(&session.find("#contact-outcome option[value='no_answer']"));
    session.type_into(&session.find("#contact-note"), "tried the mobile");
    session.click(&session.find("#log-contact"));
    let today = alongside::domain::person::format_date(chrono::Local::now().date_naive());
    let logged = format!("Phone, {today}: no answer (tried the mobile)");
    let attempt =
        session.find_xpath(&format!("//ol[@id='review-attempts']/li[contains(., '{logged}')]"));
    assert!(session.text(&attempt).starts_with(&logged), "{name}");
    assert!(session.text(&session.find("#patient-timeline")).contains("Contact attempt"));

    // The administrator renames the review in Settings; the change is saved and audited.
    session.switch_to("admin");
    session.click(&session.find("a[data-nav='settings']"));
    let review_name = session.find("#review-name");
    session.clear(&review_name);
    session.type_into(&review_name, "annual health review");
    app.display.screenshot("e2e-settings.png");
    session.click(&session.find("#save-settings"));
    session
        .find_xpath("//div[@id='settings-message']/div[contains(., 'Saved: 1 setting changed.')]");
}

/// An X server of the test's own, on a free display number.
pub(super) struct Display {
    number: String,
    process: Child,
}

impl Display {
    pub(super) fn start() -> Display {
        let mut process = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1366x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (run .ci/setup)");
        let mut line = String::new();
        BufReader::new(process.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let number = line.trim().to_string();
        assert!(!number.is_empty(), "Xvfb reported its display");
        Display { number: format!(":{number}"), process }
    }

    /// Answers the system's "save as" dialog with a title as a person does: waits for it to
    /// open, replaces the suggested name with the whole path, and presses Enter.
    fn save_as(&self, title: &str, path: &Path) {
        let xdotool = |args: &[&str]| {
            let out = Command::new("timeout")
                .arg("60")
                .arg("xdotool")
                .args(args)
                .env("DISPLAY", &self.number)
                .output()
                .expect("xdotool is installed (run .ci/setup)");
            assert!(
                out.status.success(),
                "xdotool {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        let found = xdotool(&["search", "--sync", "--onlyvisible", "--name", title]);
        let window = found.lines().next().expect("the dialog opened").to_string();
        xdotool(&["windowfocus", "--sync", &window]);
        xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
        xdotool(&["type", "--delay", "5", path.to_str().unwrap()]);
        xdotool(&["key", "Return"]);
    }

    /// Saves the whole screen into the target folder, for people to look at.
    pub(super) fn screenshot(&self, name: &str) {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = Command::new("import")
            .args(["-display", &self.number, "-window", "root"])
            .arg(&path)
            .status();
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// tauri-driver on a free port, stopped with SIGTERM so WebKitWebDriver stops with it.
pub(super) struct Driver {
    port: u16,
    process: Child,
}

impl Driver {
    pub(super) fn start(display: &Display, data_home: &Path) -> Driver {
        let port = free_port();
        let process = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
            .env("DISPLAY", &display.number)
            .env("XDG_DATA_HOME", data_home)
            .env("XDG_CONFIG_HOME", quiet_pdf_viewer(data_home))
            .env_remove("ALONGSIDE_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver starts");
        // tauri-driver says nothing when it is ready: ask for the status of the WebDriver
        // behind it until it answers that it is ready for a session.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !http(port, "GET", "/status", None).is_ok_and(|status| status["ready"] == true) {
            assert!(Instant::now() < deadline, "tauri-driver did not become ready");
            std::thread::yield_now();
        }
        Driver { port, process }
    }

    fn session(&self, args: &[&str]) -> Session {
        self.session_of(Path::new(env!("CARGO_BIN_EXE_alongside")), args)
    }

    /// A window of this program (an installed one, say) started with these arguments.
    pub(super) fn session_of(&self, application: &Path, args: &[&str]) -> Session {
        let capabilities = json!({"capabilities": {"alwaysMatch": {"tauri:options": {
            "application": application,
            "args": args,
        }}}});
        let created =
            http(self.port, "POST", "/session", Some(capabilities)).expect("a WebDriver session");
        let id = created["sessionId"].as_str().expect("a session id").to_string();
        let session = Session { port: self.port, id };
        session.call("POST", "timeouts", json!({"implicit": 20_000})).unwrap();
        session
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.process.id().to_string()).status();
        let _ = self.process.wait();
    }
}

/// A configuration folder whose default PDF viewer does nothing (`true`), so a PDF the app
/// opens for printing is opened, but shows nothing on the test's screen.
fn quiet_pdf_viewer(data_home: &Path) -> PathBuf {
    let applications = data_home.join("applications");
    std::fs::create_dir_all(&applications).unwrap();
    std::fs::write(
        applications.join("alongside-test-viewer.desktop"),
        "[Desktop Entry]\nType=Application\nName=Test viewer\nExec=true %f\n\
         MimeType=application/pdf;\n",
    )
    .unwrap();
    let config = data_home.with_file_name("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("mimeapps.list"),
        "[Default Applications]\napplication/pdf=alongside-test-viewer.desktop\n",
    )
    .unwrap();
    config
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let cargo_home =
        std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or(home.join(".cargo"));
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("tauri-driver")).collect::<Vec<_>>())
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain([cargo_home.join("bin/tauri-driver")])
        .find(|p| p.is_file())
        .expect("tauri-driver is installed (run .ci/setup)")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One WebDriver session: the app's window.
pub(super) struct Session {
    port: u16,
    id: String,
}

pub(super) type Element = String;

impl Session {
    pub(super) fn call(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let body = if method == "GET" { None } else { Some(body) };
        http(self.port, method, &format!("/session/{}/{path}", self.id), body)
    }

    /// Waits (up to the implicit timeout) for an element matching a CSS selector.
    pub(super) fn find(&self, selector: &str) -> Element {
        let found = self
            .call("POST", "element", json!({"using": "css selector", "value": selector}))
            .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
        element_id(&found)
    }

    /// Waits for an element matching an XPath, for waiting on text a change brings.
    pub(super) fn find_xpath(&self, path: &str) -> Element {
        let found = self
            .call("POST", "element", json!({"using": "xpath", "value": path}))
            .unwrap_or_else(|e| panic!("no element {path}: {e}"));
        element_id(&found)
    }

    pub(super) fn find_within(&self, parent: &Element, selector: &str) -> Element {
        let found = self
            .call(
                "POST",
                &format!("element/{parent}/element"),
                json!({"using": "css selector", "value": selector}),
            )
            .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
        element_id(&found)
    }

    /// Every element matching a CSS selector now (no waiting).
    pub(super) fn find_all(&self, selector: &str) -> Vec<Element> {
        let found = self
            .call("POST", "elements", json!({"using": "css selector", "value": selector}))
            .unwrap_or_else(|e| panic!("cannot look for {selector}: {e}"));
        found.as_array().expect("a list of elements").iter().map(element_id).collect()
    }

    pub(super) fn attribute(&self, element: &Element, name: &str) -> String {
        self.call("GET", &format!("element/{element}/attribute/{name}"), json!({}))
            .unwrap()
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub(super) fn text(&self, element: &Element) -> String {
        self.call("GET", &format!("element/{element}/text"), json!({}))
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    pub(super) fn property(&self, element: &Element, name: &str) -> String {
        self.call("GET", &format!("element/{element}/property/{name}"), json!({}))
            .unwrap()
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub(super) fn enabled(&self, element: &Element) -> bool {
        self.call("GET", &format!("element/{element}/enabled"), json!({}))
            .unwrap()
            .as_bool()
            .expect("enabled is true or false")
    }

    pub(super) fn click(&self, element: &Element) {
        self.call("POST", &format!("element/{element}/click"), json!({})).unwrap();
    }

    pub(super) fn clear(&self, element: &Element) {
        self.call("POST", &format!("element/{element}/clear"), json!({})).unwrap();
    }

    /// Signs in one of the demonstration accounts and waits for the header to say who.
    pub(super) fn sign_in(&self, username: &str) {
        let password = alongside::exchange::access::demo_password(username);
        let name = self.find("#sign-in-username");
        self.clear(&name);
        self.type_into(&name, username);
        self.type_into(&self.find("#sign-in-password"), &format!("{password}\u{E007}"));
        self.find("#who:not([hidden])");
        self.find("#lock-screen[hidden]");
    }

    /// Locks the screen and signs in as someone else.
    fn switch_to(&self, username: &str) {
        self.click(&self.find("#switch-button"));
        self.find("#lock-screen:not([hidden])");
        self.sign_in(username);
    }

    pub(super) fn type_into(&self, element: &Element, text: &str) {
        self.call("POST", &format!("element/{element}/value"), json!({"text": text})).unwrap();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

fn element_id(value: &Value) -> Element {
    value["element-6066-11e4-a52e-4f735466cecf"].as_str().expect("an element reference").to_string()
}

/// A minimal HTTP/1.1 client for the WebDriver protocol on the loopback interface. The
/// response is read by its length: asking tauri-driver to close the connection makes it pass
/// `Connection: close` on to WebKitWebDriver and then lose the next request.
fn http(port: u16, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    (&stream).write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(&stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).map_err(|e| e.to_string())?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no HTTP status in {status_line:?}"))?;
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        }
        chunked |= lower.starts_with("transfer-encoding:") && lower.contains("chunked");
    }
    let content = if chunked {
        read_chunks(&mut reader)?
    } else {
        let mut content = vec![0; length.ok_or("no Content-Length")?];
        reader.read_exact(&mut content).map_err(|e| e.to_string())?;
        content
    };
    let json: Value = serde_json::from_slice(&content)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&content)))?;
    if status >= 400 {
        return Err(json["value"]["message"].as_str().unwrap_or("WebDriver error").to_string());
    }
    Ok(json["value"].clone())
}

fn read_chunks(reader: &mut impl BufRead) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line).map_err(|e| e.to_string())?;
        let size = usize::from_str_radix(size_line.trim(), 16).map_err(|e| e.to_string())?;
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&chunk[..size]);
    }
}

/// The person the HCA sees in the contact 1 test: diabetes, hypertension and COPD.
const HCA_PATIENT: &str = "9998765439";

/// The demonstration practice in the sandbox's data folder, with one more person (a register
/// file `row`) booked into today's contact 1 clinic. Returns the data folder and the database.
fn demo_with_contact1_today(sandbox: &Sandbox, row: &str, nhs_number: &str) -> (PathBuf, PathBuf) {
    use alongside::domain::cycle::Booking;
    use alongside::exchange::recall::{act_on_review, current_review_month, ReviewAction};
    use alongside::store::Actor;

    let data = sandbox.path("data");
    let demo = data.join("alongside/demo.sqlite");
    std::fs::create_dir_all(demo.parent().unwrap()).unwrap();
    sandbox.alongside_plain(&["demo", "--create", demo.to_str().unwrap()]).expect_code(0);
    let file = sandbox.write("one.csv", super::support::register(&[row]));
    let db = demo.to_str().unwrap();
    sandbox
        .alongside_plain(&["--db", db, "import", "register", file.to_str().unwrap()])
        .expect_code(0);
    let today = super::support::today();
    let mut store = Store::open(&demo).unwrap();
    let settings = store.practice_settings(&catalogue()).unwrap();
    let number = alongside::domain::nhs_number::NhsNumber::parse(nhs_number).unwrap();
    let id = store.patient(&number).unwrap().unwrap().id;
    let month = current_review_month(&store, id, today).unwrap();
    let booking =
        Booking::new(today.and_hms_opt(9, 0, 0).unwrap(), "Jo Hart (HCA)", "Room 2").unwrap();
    let action = ReviewAction::BookContact1(booking);
    act_on_review(
        &mut store,
        &Actor::new("Jo Hart (HCA)"),
        &settings,
        &number,
        month,
        action,
        today,
    )
    .unwrap();
    (data, demo)
}

#[test]
fn an_hca_completes_contact_1_for_diabetes_hypertension_and_copd_and_the_bloods_follow() {
    let sandbox = Sandbox::new();
    // Someone with three conditions, booked into today's clinic.
    let row = format!("{HCA_PATIENT},Mensah,Abena,12/03/1956,44054006;59621000;13645005");
    let (data, demo) = demo_with_contact1_today(&sandbox, &row, HCA_PATIENT);
    let today = super::support::today();
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["demo"]);
    session.sign_in("hca");

    // Today's clinic lists her; her checklist opens with every item still to do.
    session.click(&session.find("a[data-nav='clinic']"));
    let link = session.find_xpath("//table[@id='clinic-list']//a[.='Abena Mensah']");
    session.click(&link);
    session.find("#contact1-heading");
    let summary = session.text(&session.find("#checklist-summary"));
    assert!(summary.contains("Still to do"), "{summary}");
    // Weight is one item, asked for by all three conditions; blood pressure by two.
    let wanted = session.text(&session.find("[data-item='weight'] .wanted-by"));
    assert_eq!(wanted, "for T2DM, HTN, COPD");
    let wanted = session.text(&session.find("[data-item='bp-clinic'] .wanted-by"));
    assert_eq!(wanted, "for T2DM, HTN");

    let saved = |item: &str| {
        session.find_xpath(&format!(
            "//li[@data-item='{item}' and contains(@class, 'state-recorded')]"
        ));
    };
    let type_value = |item: &str, text: &str| {
        let input = session.find(&format!("#item-{item}-input"));
        session.type_into(&input, &format!("{text}\u{E007}"));
        saved(item);
    };
    let choose_first = |item: &str| {
        session.click(&session.find(&format!("[data-item='{item}'] input[type=radio]")));
        saved(item);
    };
    let answer_all_first = |item: &str| {
        let questions = session.call(
            "POST",
            "elements",
            json!({"using": "css selector", "value": format!("[data-item='{item}'] .question")}),
        );
        let count = questions.unwrap().as_array().unwrap().len();
        for q in 0..count {
            let name = format!("item-{item}-q{q}");
            session.click(&session.find(&format!("input[name='{name}'][value='0']")));
        }
        session.click(&session.find(&format!("[data-item='{item}'] .questionnaire button")));
        saved(item);
    };

    // An HbA1c typed as a DCCT percentage is refused, with the mmol/mol value offered.
    let hba1c = session.find("#item-hba1c-input");
    session.type_into(&hba1c, "7.2\u{E007}");
    let offer = session.find("[data-item='hba1c'] .use-suggestion");
    assert_eq!(session.text(&offer), "Record 55 mmol/mol");
    display.screenshot("e2e-contact1-dcct.png");
    session.click(&offer);
    saved("hba1c");
    assert_eq!(session.text(&session.find("#value-hba1c")), "55 mmol/mol");

    type_value("bp-clinic", "148/92");
    type_value("bp-home", "138/84");
    choose_first("pulse-rhythm");
    type_value("weight", "82.4");
    type_value("height", "171");
    // BMI is worked out, never typed.
    saved("bmi");
    assert_eq!(session.text(&session.find("#value-bmi")), "28.2 kg/m²");
    type_value("fev1-percent", "64");
    type_value("spo2", "96");
    choose_first("foot-check");
    let screened = (today - chrono::Duration::days(90)).format("%d/%m/%Y").to_string();
    session.type_into(&session.find("#item-retinal-screening-input"), &screened);
    session.click(&session.find("#item-retinal-screening-result option:nth-child(2)"));
    session.click(&session.find("[data-item='retinal-screening'] button"));
    saved("retinal-screening");
    answer_all_first("phq2");
    answer_all_first("cat");
    choose_first("mrc-dyspnoea");
    answer_all_first("audit-c");
    choose_first("smoking");
    type_value("chest-exacerbations", "1");
    choose_first("inhaler-technique");
    let notes = session.find("#item-medication-problems-input");
    session.type_into(&notes, "Finds the evening tablets hard to remember\u{E004}");
    saved("medication-problems");

    // The other bloods go to the lab, and the HCA finishes.
    session.click(&session.find("#all-sent-to-lab"));
    session.find_xpath("//li[@data-item='potassium' and contains(@class, 'state-awaiting_lab')]");
    display.screenshot("e2e-contact1.png");
    session.click(&session.find("#finish-contact1"));
    let finished = session.text(&session.find("#finished"));
    assert!(
        finished.starts_with("Contact 1 recorded as attended. Waiting for the lab"),
        "{finished}"
    );

    // The bloods arrive later by import, and the review shows the results complete.
    let taken = today.format("%Y-%m-%d").to_string();
    let results = [
        ("1005671000000105", "5.1", "mmol/L"),
        ("1005681000000107", "1.21", "mmol/L"),
        ("1022191000000100", "2.9", "mmol/L"),
        ("1011481000000105", "58", "mL/min/1.73m2"),
        ("1000731000000107", "102", "umol/L"),
        ("1000651000000109", "4.6", "mmol/L"),
        ("1023491000000104", "3.4", "mg/mmol"),
    ];
    let mut csv = String::from("nhs_number,code,value,unit,taken_on\n");
    for (code, value, unit) in results {
        csv.push_str(&format!("{HCA_PATIENT},{code},{value},{unit},{taken}\n"));
    }
    let file = sandbox.write("results.csv", csv);
    let report = sandbox
        .alongside_plain(&[
            "--db",
            demo.to_str().unwrap(),
            "import",
            "results",
            file.to_str().unwrap(),
        ])
        .expect_code(0)
        .json();
    assert_eq!(report["imported"], 7, "{report}");
    session.click(&session.find("a[data-nav='clinic']"));
    session.click(&session.find_xpath("//table[@id='clinic-list']//a[.='Abena Mensah']"));
    let status = session.text(&session.find("#review-status"));
    assert!(status.starts_with("Results complete"), "{status}");
    assert!(session.text(&session.find("#checklist-summary")).contains("Everything"));

    // Nothing was lost or altered: the HbA1c stored is the one the HCA chose.
    let store = Store::open(&demo).unwrap();
    let id = store
        .patient(&alongside::domain::nhs_number::NhsNumber::parse(HCA_PATIENT).unwrap())
        .unwrap()
        .unwrap()
        .id;
    let current: Vec<_> =
        store.observations_of(id).unwrap().into_iter().filter(|o| o.retraction.is_none()).collect();
    let hba1c = current.iter().find(|o| o.item == "hba1c").unwrap();
    assert_eq!(hba1c.value.as_deref(), Some("55"));
    assert!(current.iter().all(|o| o.not_done.is_none()), "nothing is still awaited");
}

const TRIAGE_PATIENT: &str = "9998765420";

#[test]
fn a_clinician_acts_on_a_red_potassium_routes_the_conversation_and_approves_the_pack() {
    use alongside::domain::checklist::NotDoneReason;
    use alongside::domain::measures::Entry;
    use alongside::exchange::contact1::{
        finish_contact1, mark_not_done, record_value, PersonResults,
    };
    use alongside::store::Actor;

    let sandbox = Sandbox::new();
    // Someone with type 2 diabetes, hypertension and CKD seen at contact 1 today: a potassium
    // of 6.3 (red), an HbA1c of 62 (above the practice's target of 58) and nothing else done.
    let row = format!("{TRIAGE_PATIENT},Kowalski,Irena,02/07/1948,44054006;38341003;709044004");
    let (data, demo) = demo_with_contact1_today(&sandbox, &row, TRIAGE_PATIENT);
    let today = super::support::today();
    {
        let catalogue = catalogue();
        let actor = Actor::new("Jo Hart (HCA)");
        let mut store = Store::open(&demo).unwrap();
        let number = alongside::domain::nhs_number::NhsNumber::parse(TRIAGE_PATIENT).unwrap();
        for (item, value) in [("potassium", "6.3"), ("hba1c", "62"), ("bp-clinic", "138/82")] {
            let entry = Entry { value, option: None, answers: &[] };
            record_value(&mut store, &actor, &catalogue, &number, item, entry, today).unwrap();
        }
        let results = PersonResults::load(&store, &number).unwrap().unwrap();
        let missing: Vec<String> = results
            .checklist(&catalogue, today)
            .missing()
            .iter()
            .map(|i| i.id().to_string())
            .collect();
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
        let reason = NotDoneReason::Declined;
        mark_not_done(&mut store, &actor, &catalogue, &number, &missing, reason, "", today)
            .unwrap();
        finish_contact1(&mut store, &actor, &catalogue, &number, today).unwrap();
    }
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["demo"]);
    session.sign_in("gp");

    // The worklist shows her among the red findings to act on, with the potassium in words.
    session.click(&session.find("a[data-nav='triage']"));
    let row = session.find(&format!("#urgent-list tr[data-nhs='{TRIAGE_PATIENT}']"));
    let words = session.text(&row);
    assert!(words.contains("Serum potassium 6.3 mmol/L"), "{words}");
    display.screenshot("e2e-triage-worklist.png");
    session.click(&session.find_xpath("//table[@id='urgent-list']//a[.='Irena Kowalski']"));
    session.find("#triage-person");

    // The red finding says why it matters and where the rule comes from; the pack cannot be
    // approved while it waits.
    let card = session.text(&session.find(".finding-red"));
    assert!(card.contains("Potassium 6.0 mmol/L or above"), "{card}");
    assert!(card.contains("NICE NG203"), "{card}");
    let approve = session.find("#approve-pack");
    assert!(!session.enabled(&approve), "the approve button is disabled");
    let hint = session.text(&session.find("#approve-hint"));
    assert!(hint.contains("red finding is unacknowledged"), "{hint}");
    // The HbA1c is amber against the practice's target.
    let hba1c = session.text(&session.find("#triage-results tr[data-item='hba1c']"));
    assert!(hba1c.contains("58 mmol/mol or below") && hba1c.contains("Amber"), "{hba1c}");
    display.screenshot("e2e-triage-red.png");

    // She was phoned today: acknowledged with the action taken.
    session.click(&session.find("input[value='contacted_today']"));
    let note = session.find("textarea[id$='-note']");
    session.type_into(&note, "Phoned: repeat blood test tomorrow morning");
    session.click(&session.find("button[id$='-save'].primary"));
    let done = session.text(&session.find(".finding.acknowledged"));
    assert!(done.contains("Contacted the person today"), "{done}");

    // Routed to a named GP, with her own HbA1c target because of her frailty.
    session.click(&session.find("#route-role option[value='gp']"));
    session.type_into(&session.find("#route-clinician"), "Dr A Rahman");
    session.click(&session.find("#save-route"));
    let route = session.text(&session.find("#current-route"));
    assert!(route.starts_with("GP: Dr A Rahman"), "{route}");
    session.click(&session.find("#target-item option[value='hba1c']"));
    session.type_into(&session.find("#target-value"), "64");
    session.type_into(&session.find("#target-reason"), "Lives alone, hypos on gliclazide");
    session.click(&session.find("#set-target"));
    session.find_xpath("//ul[@id='personal-targets']//strong[.='HbA1c: 64 mmol/mol']");
    let hba1c = session.text(&session.find("#triage-results tr[data-item='hba1c']"));
    assert!(hba1c.contains("64 mmol/mol or below") && hba1c.contains("Personal target"), "{hba1c}");
    assert!(!hba1c.contains("Amber"), "62 is within her own target: {hba1c}");

    // Now the pack can be approved, and the review is triaged.
    let approve = session.find("#approve-pack");
    assert!(session.enabled(&approve), "the approve button is enabled");
    session.click(&approve);
    session.find_xpath("//span[@id='triage-review-status' and starts-with(., 'Triaged')]");
    session.find_xpath("//p[@id='approve-hint' and starts-with(., 'Approved')]");
    display.screenshot("e2e-triage-approved.png");

    // She has left the worklist, and the timeline shows what the clinician did.
    session.click(&session.find("a[data-nav='triage']"));
    session.find("#triage-heading");
    let listed = session.call(
        "POST",
        "elements",
        json!({"using": "css selector", "value": format!("tr[data-nhs='{TRIAGE_PATIENT}']")}),
    );
    assert_eq!(listed.unwrap().as_array().unwrap().len(), 0);
    let store = Store::open(&demo).unwrap();
    let number = alongside::domain::nhs_number::NhsNumber::parse(TRIAGE_PATIENT).unwrap();
    let actions: Vec<String> =
        store.timeline(&number).unwrap().into_iter().map(|e| e.action).collect();
    for action in ["triage.acknowledge", "triage.route", "triage.personal_target", "cycle.triage"] {
        assert!(actions.iter().any(|a| a == action), "{action} missing from {actions:?}");
    }

    // The practice follows local renal advice: the red potassium threshold moves to 6.5 in
    // Settings, with the reason, and the shipped 6.0 is shown beside it: the administrator's job.
    session.switch_to("admin");
    session.click(&session.find("a[data-nav='settings']"));
    session.click(&session.find("#open-rules"));
    let rule = session.find("article[data-rule='potassium-very-high']");
    session.click(&session.find_within(&rule, "summary"));
    let threshold = session.find("#rule-potassium-very-high-0");
    session.clear(&threshold);
    session.type_into(&threshold, "6.5");
    session.type_into(&session.find("#rule-potassium-very-high-reason"), "Local renal advice");
    session.click(&session.find("#rule-potassium-very-high-save"));
    let changed = session
        .find_xpath("//article[@data-rule='potassium-very-high']//p[starts-with(., 'Changed by')]");
    assert!(session.text(&changed).contains("Local renal advice"));
    let rule = session.text(&session.find("article[data-rule='potassium-very-high']"));
    assert!(rule.contains("≥ 6.5 mmol/L"), "{rule}");
    let shipped = session.text(&session.find("#rule-potassium-very-high-shipped"));
    assert!(shipped.ends_with("As shipped: ≥ 6.0 mmol/L"), "{shipped}");
    display.screenshot("e2e-triage-rules.png");
}

#[test]
fn an_administrator_prints_the_weeks_packs_and_confirms_they_were_posted() {
    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "hca");
    let (session, display) = (&app.session, &app.display);
    session.click(&session.find("a[data-nav='packs']"));
    // The summary is written once the list has been read.
    let summary = session.find_xpath("//p[@id='packs-summary' and contains(., 'ready to print')]");
    let summary = session.text(&summary);
    assert!(summary.contains("held"), "{summary}");

    // Held packs show why; a red finding links to triage.
    let held = session.text(&session.find("#packs-held-table"));
    for reason in ["not approved yet", "red finding", "has died", "left the practice", "easy read"]
    {
        assert!(held.contains(reason), "{reason} in {held}");
    }
    session.find("#packs-held-table tr[data-state='red_finding'] a[href^='#/triage/']");

    // Every ready pack is chosen; leave one out, and print the rest into the test's own PDF.
    let boxes = session.find_all("#packs-ready-table input[data-cycle]");
    assert!(boxes.len() >= 3, "the demo has packs ready");
    let left_out_row = session.find("#packs-ready-table tbody tr");
    let left_out_nhs = session.attribute(&left_out_row, "data-nhs");
    session.click(&session.find_within(&left_out_row, "input[data-cycle]"));
    let target = sandbox.path("packs.pdf");
    let field = session.find("#packs-target");
    session.clear(&field);
    session.type_into(&field, target.to_str().unwrap());
    session.click(&session.find("#print-packs"));
    let batch = session.text(&session.find("#packs-batch-summary"));
    assert!(batch.contains(target.to_str().unwrap()), "{batch}");
    let printed = boxes.len() - 1;
    assert!(batch.starts_with(&format!("{printed} packs")), "{batch}");
    let text = pdf_text(&target);
    assert!(!text.contains(&format_nhs(&left_out_nhs)), "the pack left out is not printed");
    display.screenshot("e2e-packs.png");

    // Confirmed printed and posted: recorded as sent, and gone from the ready list.
    session.click(&session.find("#confirm-packs"));
    let done = session.text(&session.find("#packs-done"));
    assert_eq!(done, format!("{printed} packs recorded as sent today."));
    session.find_xpath("//p[@id='packs-summary' and starts-with(., '1 pack ready to print')]");
    let remaining = session.find_all("#packs-ready-table input[data-cycle]");
    assert_eq!(remaining.len(), 1, "only the pack left out is still ready");
    let today = chrono::Local::now().date_naive().to_string();
    let sent: i64 = rusqlite::Connection::open(&app.demo)
        .unwrap()
        .query_row("SELECT count(*) FROM cycle WHERE pack_sent_on = ?1", [&today], |r| r.get(0))
        .unwrap();
    assert_eq!(sent, printed as i64, "each printed pack is recorded as sent today");
}

fn pdf_text(file: &Path) -> String {
    let out = Command::new("pdftotext").arg(file).arg("-").output().expect("pdftotext runs");
    String::from_utf8(out.stdout).unwrap()
}

fn format_nhs(digits: &str) -> String {
    format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
}

/// Sets a date field as the date picker would, and tells the screen it changed.
fn set_date(session: &Session, id: &str, date: &str) {
    let script = format!(
        "const e = document.getElementById('{id}'); e.value = '{date}'; \
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    );
    session.call("POST", "execute/sync", json!({"script": script, "args": []})).unwrap();
}

pub(super) fn go_to(session: &Session, hash: &str) {
    let script = format!("window.location.hash = '{hash}';");
    session.call("POST", "execute/sync", json!({"script": script, "args": []})).unwrap();
}

pub(super) fn choose(session: &Session, select: &str, value: &str) {
    session.click(&session.find(&format!("{select} option[value='{value}']")));
}

#[test]
fn a_nurse_holds_a_whole_conversation_closes_the_window_mid_way_and_finds_everything_on_reopening()
{
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    let demo = data.join("alongside/demo.sqlite");
    std::fs::create_dir_all(demo.parent().unwrap()).unwrap();
    sandbox.alongside_plain(&["demo", "--create", demo.to_str().unwrap()]).expect_code(0);
    // Someone whose conversation is booked and whose plan has not been started.
    let nhs: String = rusqlite::Connection::open(&demo)
        .unwrap()
        .query_row(
            "SELECT p.nhs_number FROM cycle c JOIN patient p ON p.id = c.patient_id
             WHERE c.status = 'conversation_booked' AND NOT EXISTS (SELECT 1 FROM care_plan_draft d
                 WHERE d.patient_id = p.id AND d.agreed_as IS NULL AND d.set_aside_at IS NULL)
             LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the demo has a conversation booked with no plan started");
    let display = Display::start();
    let driver = Driver::start(&display, &data);

    {
        let session = driver.session(&["demo"]);
        session.sign_in("nurse");
        session.find("#search");
        go_to(&session, &format!("#/conversation/{nhs}"));
        let before = session.text(&session.find("#plan-state"));
        assert!(before == "No plan yet" || before.starts_with("Agreed: version"), "{before}");
        session.click(&session.find("#start-plan"));
        session.find_xpath("//span[@id='plan-state' and . = 'Draft']");
        session.click(&session.find("#add-agenda"));
        session.type_into(&session.find("#agenda-0"), "My feet feel numb at night");
        // Carried over from the last plan, if there was one; the person says it afresh.
        session.clear(&session.find("#what-matters"));
        session.type_into(&session.find("#what-matters"), "Dancing at Lily's wedding in June");
        session.click(&session.find("#add-need"));
        session.type_into(&session.find("#need-0-text"), "Out of breath on the stairs");
        session.type_into(&session.find("#goal-0-0-words"), "Dance the first dance with Lily");
        choose(&session, "#goal-0-0-importance", "9");
        session.click(&session.find("#add-action-0-0"));
        session.type_into(&session.find("#action-0-0-0-what"), "Walk to the park and back");
        session.type_into(&session.find("#action-0-0-0-when"), "every morning");
        choose(&session, "#action-0-0-0-confidence", "7");
        session.find_xpath("//p[@id='plan-save-status' and contains(., 'saved at')]");
        display.screenshot("e2e-conversation-draft.png");
        // The window closes mid-conversation (the session ends), nothing agreed.
    }

    let session = driver.session(&["demo"]);
    session.sign_in("nurse");
    session.find("#search");
    go_to(&session, &format!("#/conversation/{nhs}"));
    session.find_xpath("//span[@id='plan-state' and . = 'Draft']");
    for (field, expected) in [
        ("#agenda-0", "My feet feel numb at night"),
        ("#what-matters", "Dancing at Lily's wedding in June"),
        ("#need-0-text", "Out of breath on the stairs"),
        ("#goal-0-0-words", "Dance the first dance with Lily"),
        ("#goal-0-0-importance", "9"),
        ("#action-0-0-0-what", "Walk to the park and back"),
        ("#action-0-0-0-when", "every morning"),
        ("#action-0-0-0-confidence", "7"),
    ] {
        assert_eq!(session.property(&session.find(field), "value"), expected, "{field} kept");
    }

    // Signposting from the directory, a contingency plan; no review date yet: refused.
    session.type_into(&session.find("#directory-search"), "walk");
    session.click(&session.find("#directory-results button[data-service]"));
    let service = session.property(&session.find("#support-0-who-name"), "value");
    assert!(!service.is_empty(), "the service is named in the plan");
    session.type_into(&session.find("#support-0-when"), "Thursdays from next week");
    session.type_into(&session.find("#contingency-triggers"), "More breathless than usual");
    session.click(&session.find("#add-contingency-contact"));
    session.type_into(&session.find("#contingency-contact-0-name"), "Riverside Surgery");
    session.type_into(&session.find("#contingency-contact-0-phone"), "0113 496 0000");
    session.click(&session.find("#agree-plan"));
    let refused = session.text(&session.find("#agree-status .message-error"));
    assert!(refused.contains("a review date"), "{refused}");
    assert_eq!(session.text(&session.find("#plan-state")), "Draft", "still a draft");

    set_date(&session, "review-date", "2027-11-01");
    session.type_into(&session.find("#review-who"), "Nurse J Okoye");
    session.click(&session.find("#agree-plan"));
    let notice = session.text(&session.find("#conversation-notice"));
    assert!(notice.starts_with("Agreed: version"), "{notice}");
    session.find_xpath("//span[@id='plan-state' and starts-with(., 'Agreed: version')]");
    display.screenshot("e2e-conversation-agreed.png");

    let db = rusqlite::Connection::open(&demo).unwrap();
    let (status, content): (String, String) = db
        .query_row(
            "SELECT c.status, cp.content FROM care_plan cp JOIN cycle c ON c.id = cp.cycle_id
             JOIN patient p ON p.id = cp.patient_id WHERE p.nhs_number = ?1
             ORDER BY cp.version DESC LIMIT 1",
            [&nhs],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(status, "plan_agreed", "agreeing closes the review with a plan agreed");
    assert!(content.contains("Dance the first dance with Lily"), "{content}");
    assert!(content.contains("Thursdays from next week"), "{content}");

    // The person goes home with their plan, in their own words, with who will help.
    session.click(&session.find("#print-plan"));
    let printed = session.text(&session.find("#print-status .message-success"));
    let file = printed
        .split(" written to ")
        .nth(1)
        .and_then(|rest| rest.split(".pdf").next())
        .map(|f| PathBuf::from(format!("{f}.pdf")))
        .expect("the message names the file");
    let text = pdf_text(&file);
    for words in [
        "My care and support plan",
        "Dance the first dance with Lily",
        "Walk to the park and back",
        &service,
        "If I feel worse",
        "1 November 2027",
    ] {
        assert!(text.contains(words), "{words} in the printed plan:\n{text}");
    }

    // A copy for the community nursing team, as a FHIR document saved where the nurse chooses.
    let fhir = sandbox.path("for-the-district-nurses.json");
    session.click(&session.find("#export-plan-fhir"));
    display.save_as("Save the care plan for another service", &fhir);
    let saved = session
        .text(&session.find_xpath("//div[@id='print-status']/div[contains(., 'FHIR document')]"));
    assert!(saved.contains(fhir.to_str().unwrap()), "{saved}");
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&fhir).unwrap()).unwrap();
    assert_eq!(bundle["type"], "document");
    assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "Composition");
    assert!(bundle.to_string().contains("Dance the first dance with Lily"));
    let audited: String = db
        .query_row(
            "SELECT summary FROM audit_event WHERE action = 'careplan.exported'
             ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audited.ends_with(fhir.to_str().unwrap()), "{audited}");
}

/// The row of the directory table that names a service, as an XPath.
fn directory_row(name: &str) -> String {
    format!("//table[@id='directory-table']/tbody/tr[th[contains(., '{name}')]]")
}

/// Waits until the directory says how many services it lists, then counts its rows.
fn directory_rows(session: &Session, count: usize) -> usize {
    session.find_xpath(&format!("//div[@id='directory-list']/p[. = '{count} service(s)']"));
    session.find_all("#directory-table tbody tr").len()
}

#[test]
fn a_practice_manager_adds_edits_and_retires_a_directory_service_in_settings() {
    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "admin");
    let (session, display) = (&app.session, &app.display);
    session.find("#search");
    session.click(&session.find("a[data-nav='settings']"));
    session.click(&session.find("#open-directory"));
    session.find("#directory-heading");
    assert_eq!(directory_rows(session, 24), 24, "the demo's directory lists 24 services");

    // A new group, checked last spring.
    session.click(&session.find("#add-service"));
    session.find_xpath("//h2[@id='editor-heading' and . = 'Add a service']");
    session.type_into(&session.find("#service-name"), "Kettleby Tai Chi");
    choose(session, "#service-category", "physical_activity");
    session.type_into(&session.find("#service-offers"), "Gentle tai chi for balance, all ages");
    session.type_into(&session.find("#service-access"), "Self-referral");
    session.type_into(&session.find("#service-phone"), "0113 496 0777");
    session.type_into(&session.find("#service-lastChecked"), "2025-04-01");
    session.click(&session.find("#save-service"));
    session.find_xpath(
        "//div[@id='directory-status']/div[contains(@class, 'message-success') \
         and . = 'Kettleby Tai Chi was saved.']",
    );
    assert_eq!(directory_rows(session, 25), 25, "the new service is listed");
    let row = session.find_xpath(&directory_row("Kettleby Tai Chi"));
    let id = session.attribute(&row, "data-service");
    assert!(id.parse::<i64>().is_ok(), "the row names its service: {id:?}");
    let listed = session.text(&row);
    for words in [
        "Physical activity",
        "phone 0113 496 0777",
        "Self-referral",
        "2025-04-01",
        "Edit Kettleby Tai Chi",
        "Retire Kettleby Tai Chi",
    ] {
        assert!(listed.contains(words), "{words} in {listed:?}");
    }

    // A phone number that is not one: refused, naming it, and nothing new is listed.
    session.click(&session.find("#add-service"));
    session.find_xpath("//h2[@id='editor-heading' and . = 'Add a service']");
    session.type_into(&session.find("#service-name"), "Kettleby Walking Netball");
    session.type_into(&session.find("#service-phone"), "ring us");
    session.click(&session.find("#save-service"));
    let refused = session.text(&session.find("#service-editor .message-error"));
    assert!(refused.contains("the phone number 'ring us' is not a phone number"), "{refused}");
    assert_eq!(directory_rows(session, 25), 25, "nothing new is listed");
    let table = session.text(&session.find("#directory-table"));
    assert!(!table.contains("Walking Netball"), "the refused service is not listed: {table}");

    // The number changes: edited in place.
    session.click(&session.find(&format!("button[data-edit='{id}']")));
    session.find_xpath("//h2[@id='editor-heading' and . = 'Edit Kettleby Tai Chi']");
    let phone = session.find("#service-phone");
    assert_eq!(session.property(&phone, "value"), "0113 496 0777");
    session.clear(&phone);
    session.type_into(&phone, "0113 496 0888");
    session.click(&session.find("#save-service"));
    let contact = session
        .find_xpath(&format!("//tr[@data-service='{id}']/td[contains(., 'phone 0113 496 0888')]"));
    assert!(!session.text(&contact).contains("0777"), "the old number is gone");
    assert_eq!(directory_rows(session, 25), 25, "edited, not added");

    // The group has stopped meeting: retired, gone from the list, kept among the retired.
    session.click(&session.find(&format!("button[data-retire='{id}']")));
    session.find_xpath(
        "//div[@id='directory-status']/div[starts-with(., 'Kettleby Tai Chi was retired.')]",
    );
    assert_eq!(directory_rows(session, 24), 24, "the retired service is not listed");
    let table = session.text(&session.find("#directory-table"));
    assert!(!table.contains("Kettleby Tai Chi"), "the retired service is not listed: {table}");
    session.click(&session.find("#directory-retired"));
    let retired = session.find_xpath(&format!(
        "//tr[@data-service='{id}' and contains(@class, 'retired')]/th/span[@class='tag' \
         and . = 'Retired']"
    ));
    assert_eq!(session.text(&retired), "Retired");
    let row = session.text(&session.find(&format!("tr[data-service='{id}']")));
    assert!(row.contains("Kettleby Tai Chi") && row.contains("0113 496 0888"), "{row}");
    // Its buttons are named after it: a retired service has none.
    assert!(
        !row.contains("Edit Kettleby") && !row.contains("Retire Kettleby"),
        "a retired service cannot be edited or retired again: {row}"
    );
    let script = format!(
        "document.querySelector(\"tr[data-service='{id}']\").scrollIntoView({{ block: 'center' }});"
    );
    session.call("POST", "execute/sync", json!({"script": script, "args": []})).unwrap();
    display.screenshot("e2e-directory.png");

    // Kept, never deleted, and every change audited.
    let id: i64 = id.parse().unwrap();
    let db = rusqlite::Connection::open(&app.demo).unwrap();
    let (phone, retired_at): (String, Option<String>) = db
        .query_row("SELECT phone, retired_at FROM directory_service WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("the retired service is still in the directory");
    assert_eq!(phone, "0113 496 0888");
    assert!(retired_at.is_some(), "retired_at is set");
    let service = format!("service {id}:%");
    for action in ["directory.added", "directory.changed", "directory.retired"] {
        let count: i64 = db
            .query_row(
                "SELECT count(*) FROM audit_event WHERE action = ?1 AND summary LIKE ?2",
                [action, service.as_str()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(count, 1, "one {action} entry for service {id}");
    }
    let refused: i64 = db
        .query_row(
            "SELECT count(*) FROM directory_service WHERE name LIKE '%Walking Netball%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(refused, 0, "the refused service was not saved");
}

/// Waits (up to a minute) for a file the app writes by itself, such as the day's snapshot.
fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} did not appear", path.display());
        std::thread::yield_now();
    }
}

#[test]
fn a_practice_manager_makes_a_protected_backup_and_restores_it_in_the_window() {
    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "admin");
    let (session, display) = (&app.session, &app.display);
    session.find("#search");

    // The day's first start keeps a snapshot beside the database.
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let snapshot = app.demo.with_file_name(format!("snapshots/demo-{today}.alongside-backup"));
    wait_for_file(&snapshot);

    // Settings says there has never been a backup, and leads to the Backup screen.
    session.click(&session.find("a[data-nav='settings']"));
    let settings = session.text(&session.find("#settings-backup-status"));
    assert!(settings.starts_with("No backup of this database has been made yet."), "{settings}");
    session.click(&session.find("#open-backup"));
    let status = session.text(&session.find("#backup-status"));
    assert!(status.starts_with("No backup of this database has been made yet."), "{status}");
    let snapshots = session.text(&session.find("#snapshots-count"));
    assert!(snapshots.contains("kept; the latest is from"), "{snapshots}");

    // A protected backup: the passphrase typed twice, differently at first.
    let target = sandbox.path("riverside.alongside-backup");
    let field = session.find("#backup-target");
    session.clear(&field);
    session.type_into(&field, target.to_str().unwrap());
    session.click(&session.find("#backup-encrypt"));
    session.type_into(&session.find("#backup-passphrase"), "kettle orchard ninety");
    session.type_into(&session.find("#backup-passphrase-again"), "kettle orchard ninety-one");
    session.click(&session.find("#make-backup"));
    let refused = session.text(&session.find("#backup-result .message-error"));
    assert!(refused.starts_with("The two passphrases are not the same."), "{refused}");
    assert!(!target.exists(), "nothing was written");
    let again = session.find("#backup-passphrase-again");
    session.clear(&again);
    session.type_into(&again, "kettle orchard ninety");
    session.click(&session.find("#make-backup"));
    let made = session.text(&session.find("#backup-made"));
    assert!(made.starts_with("Backup made: 250 people written to"), "{made}");
    assert!(made.contains("protected by the passphrase"), "{made}");
    assert!(target.exists(), "the backup was written where asked");
    let status = session.text(&session.find("#backup-status"));
    assert!(status.starts_with("The last backup was made today"), "{status}");
    assert!(status.contains(target.to_str().unwrap()), "{status}");
    display.screenshot("e2e-backup.png");

    // Someone is registered after the backup, from another window.
    {
        let mut store = Store::open(&app.demo).unwrap();
        let file = alongside::exchange::register_import::RegisterFile::read(
            super::support::register(&["9998887771,Latecomer,Lola,1960-05-05,44054006"]).as_bytes(),
        )
        .unwrap();
        alongside::exchange::register_import::import_register(
            &mut store,
            &alongside::store::Actor::new("another window"),
            &catalogue(),
            super::support::today(),
            &file,
            "late.csv",
            false,
        )
        .unwrap();
    }

    // The Restore screen refuses a file that is not a backup, saying nothing changed.
    session.click(&session.find("#open-restore"));
    session.find("#restore-heading");
    let pdf = sandbox.write("letters.pdf", b"%PDF-1.7\n");
    let file = session.find("#restore-file");
    session.type_into(&file, pdf.to_str().unwrap());
    session.click(&session.find("#check-backup"));
    let refused = session.text(&session.find("#restore-found .message-error"));
    assert!(refused.contains("is not an Alongside backup: it is a PDF document"), "{refused}");
    assert!(refused.ends_with("Nothing was changed."), "{refused}");

    // The backup: its header is read, then the passphrase opens and checks the whole.
    session.clear(&file);
    session.type_into(&file, target.to_str().unwrap());
    session.click(&session.find("#check-backup"));
    let verdict = session.text(&session.find("#restore-verdict"));
    assert!(verdict.starts_with("This backup is protected by a passphrase."), "{verdict}");
    let facts = session.text(&session.find("#restore-facts"));
    assert!(
        facts.contains("Riverside Surgery (demonstration)") && facts.contains("250"),
        "{facts}"
    );
    assert!(
        session.find_all("#restore-backup").is_empty(),
        "no restore before the whole is checked"
    );
    session.type_into(&session.find("#restore-passphrase"), "kettle orchard ninety\u{E007}");
    let verdict = session
        .find_xpath("//div[@id='restore-verdict' and starts-with(., 'The backup is whole')]");
    assert!(session.text(&verdict).contains("kept beside it"));
    display.screenshot("e2e-restore-checked.png");

    // Restored: the window goes on with the restored database, and says where the old one is.
    session.click(&session.find("#restore-backup"));
    let kept = session.text(&session.find("#restore-kept"));
    let path = kept
        .strip_prefix("The database as it was before the restore is kept as ")
        .and_then(|p| p.strip_suffix('.'))
        .unwrap_or_else(|| panic!("{kept}"));
    assert!(path.contains("demo-replaced-"), "{path}");
    let late = alongside::domain::nhs_number::NhsNumber::parse("9998887771").unwrap();
    assert!(
        Store::open(Path::new(path)).unwrap().patient(&late).unwrap().is_some(),
        "the replaced database is kept with the later registration"
    );
    display.screenshot("e2e-restored.png");
    session.click(&session.find("a[data-nav='register']"));
    let search = session.find("#search");
    session.type_into(&search, "9998887771");
    session.find_xpath("//p[@id='result-count' and . = 'No one matches.']");
    assert!(
        Store::open(&app.demo).unwrap().patient(&late).unwrap().is_none(),
        "the database is the backup's"
    );
    go_to(session, "#/settings/backup");
    let status = session.text(&session.find("#backup-status"));
    assert!(status.starts_with("The last backup was made today"), "{status}");
}

/// Scrolls an element to the top of the window and waits until the window has been drawn again,
/// for a screenshot.
fn scroll_to(session: &Session, id: &str) {
    let script = format!(
        "const done = arguments[0]; document.getElementById('{id}').scrollIntoView(); \
         requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    );
    session.call("POST", "execute/async", json!({"script": script, "args": []})).unwrap();
}

/// A number as the screens write it: 1,234.
fn grouped(number: u32) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A figure's number as the Reports screen writes it, with what it counts out of.
fn figure_text(measure: alongside::domain::metrics::Measure) -> String {
    use alongside::domain::metrics::Measure;
    // Rounded to one decimal place by the library; whole numbers lose their ".0".
    let decimal = |v: f64| {
        let text = format!("{v}");
        let (whole, part) =
            text.split_once('.').map_or((text.as_str(), None), |(w, p)| (w, Some(p)));
        let whole = grouped(whole.parse().unwrap());
        part.map_or(whole.clone(), |p| format!("{whole}.{p}"))
    };
    match measure {
        Measure::Count(n) => grouped(n),
        Measure::Share { count, of } if of > 0 => {
            format!(
                "{}% — {} of {}",
                decimal(measure.percent().unwrap()),
                grouped(count),
                grouped(of)
            )
        }
        Measure::Share { .. } => "Nothing to count — 0 of 0".into(),
        Measure::Mean { of, .. } => {
            measure.value().map_or("Nothing to count — mean of 0".into(), |v| {
                format!("{} — mean of {}", decimal(v), grouped(of))
            })
        }
        Measure::Median { of, .. } => {
            measure.value().map_or("Nothing to count — median of 0".into(), |v| {
                format!("{} — median of {}", decimal(v), grouped(of))
            })
        }
    }
}

#[test]
fn a_practice_manager_reads_the_figures_opens_the_people_behind_one_saves_them_and_enters_feedback()
{
    use alongside::domain::metrics::{Group, Range, FIGURES};
    use alongside::exchange::reports::{figures_csv, people_behind, practice_report};
    use chrono::Datelike;

    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "admin");
    let (session, display) = (&app.session, &app.display);
    session.find("#search");
    // The six whole months before this one.
    let today = super::support::today();
    let to = today.with_day(1).unwrap().pred_opt().unwrap();
    let mut from = to.with_day(1).unwrap();
    for _ in 0..5 {
        from = from.pred_opt().unwrap().with_day(1).unwrap();
    }
    let range = Range::new(from, to).unwrap();
    let rules = alongside::assets::rules(&catalogue()).unwrap();
    let library =
        |store: &Store| practice_report(store, &catalogue(), &rules, range, today).unwrap();

    // Reports, other dates, and people living with two or more long-term conditions.
    session.click(&session.find("a[data-nav='reports']"));
    session.find("#report-body[data-from]");
    choose(session, "#report-preset", "custom");
    set_date(session, "report-from", &from.to_string());
    set_date(session, "report-to", &to.to_string());
    choose(session, "#report-group", "multiple");
    session
        .find(&format!("#report-body[data-from='{from}'][data-to='{to}'][data-group='multiple']"));
    let summary = session.text(&session.find("#report-summary"));
    assert!(summary.contains("two or more long-term conditions"), "{summary}");

    // Every figure, with what it counts out of, is the one the library works out.
    let store = Store::open(&app.demo).unwrap();
    let expected = library(&store);
    for definition in FIGURES {
        let figure = expected.report.figure(Group::Multiple, definition.key).unwrap();
        let shown = session.text(&session.find(&format!("#figure-{}-value", definition.key)));
        assert_eq!(shown, figure_text(figure.measure), "{}", definition.key);
    }
    let held = expected.report.figure(Group::Multiple, "conversations").unwrap().measure.count();
    assert!(held > 0, "the demo held conversations with people with two or more conditions");
    display.screenshot("e2e-reports.png");

    // Patient feedback has no list behind it; the people who came to contact 1 do.
    let aggregate = session.text(&session.find("[data-figure='collaborate_mean'] .aggregate"));
    assert_eq!(aggregate, "Reported only in aggregate");
    assert!(session.find_all("#people-collaborate_mean").is_empty(), "no button for feedback");
    let label = "Invited people who came to contact 1";
    let behind = people_behind(&store, &expected, Group::Multiple, "attended").unwrap();
    assert!(!behind.is_empty(), "people were invited in those months");
    session.click(&session.find("#people-attended"));
    let heading = session.find_xpath(&format!(
        "//h3[@id='people-heading' and . = '{label}: {} {}']",
        behind.len(),
        if behind.len() == 1 { "person" } else { "people" }
    ));
    assert_eq!(session.attribute(&session.find("#people-attended"), "aria-expanded"), "true");
    let rows = session.find_all("#people-table tbody tr");
    assert_eq!(rows.len(), behind.len().min(200), "one row for each person behind it");
    let first = &behind[0];
    assert_eq!(session.attribute(&rows[0], "data-nhs"), first.person.nhs_number);
    let text = session.text(&rows[0]);
    assert!(text.contains(&first.person.name), "{text}");
    assert!(text.ends_with(if first.counted { "Yes" } else { "No" }), "{text}");
    let link = session.find_within(&rows[0], "a.person-link");
    let href = session.attribute(&link, "href");
    assert!(href.ends_with(&format!("#/patient/{}", first.person.nhs_number)), "{href}");
    let counted = behind.iter().filter(|p| p.counted).count();
    let measure = expected.report.figure(Group::Multiple, "attended").unwrap().measure;
    assert_eq!(counted as u32, measure.count(), "the counted ones are the figure's count");
    assert!(!session.text(&heading).is_empty());
    display.screenshot("e2e-reports-people.png");
    // Escape closes the list and returns to its button.
    session.type_into(&session.find("#close-people"), "\u{E00C}");
    assert!(session.find_all("#people-panel").is_empty(), "the list closed");
    assert_eq!(session.attribute(&session.find("#people-attended"), "aria-expanded"), "false");

    // The charts carry their numbers as text.
    let chart = session.find("#pack-days-chart svg");
    let named = session.attribute(&chart, "aria-label");
    for (label, n) in &expected.report.pack_days {
        assert!(named.contains(&format!("{label}: {n}")), "{named}");
    }
    assert!(
        named.contains(&format!("minimum is {} days", expected.report.context.pack_minimum_days))
    );
    scroll_to(session, "pack-days-chart");
    display.screenshot("e2e-reports-charts.png");
    let months = session.find_all("#trend-table tbody tr");
    assert_eq!(months.len(), expected.report.trend.len(), "a row for each month of the trend");
    scroll_to(session, "trend");
    display.screenshot("e2e-reports-trend.png");

    // The figures go to Excel for the steering group, through the system's save dialog.
    let sheet = sandbox.path("steering-group-figures.csv");
    session.click(&session.find("#save-report-figures"));
    display.save_as("Save the figures as a spreadsheet", &sheet);
    let saved = session.text(&session.find("#report-export-status .message-success"));
    assert!(saved.contains(sheet.to_str().unwrap()), "{saved}");
    assert_eq!(std::fs::read(&sheet).unwrap(), figures_csv(&expected), "every group's figures");
    let audited: String = rusqlite::Connection::open(&app.demo)
        .unwrap()
        .query_row(
            "SELECT summary FROM audit_event WHERE action = 'report.exported' ORDER BY id DESC",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audited.ends_with(sheet.to_str().unwrap()), "{audited}");

    // The one-page report for the steering group's meeting, saved to print.
    let page = sandbox.path("steering-group-report.pdf");
    session.click(&session.find("#print-report"));
    display.save_as("Save the steering group's report", &page);
    // The figures' message stays until the report's replaces it.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // The message may be replaced between finding it and reading it: read it again then.
        let element = session.find("#report-export-status .message-success");
        let saved = session
            .call("GET", &format!("element/{element}/text"), json!({}))
            .map(|v| v.as_str().unwrap_or("").to_string())
            .unwrap_or_default();
        if saved.contains(page.to_str().unwrap()) {
            break;
        }
        assert!(Instant::now() < deadline, "the report was not said to be saved: {saved}");
        std::thread::yield_now();
    }
    let text = std::process::Command::new("pdftotext").arg(&page).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Personalised care and support planning"), "{text}");
    let printed: i64 = rusqlite::Connection::open(&app.demo)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_event WHERE action = 'report.printed'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(printed, 1, "the printed report is in the audit trail");

    // A paper form comes back from someone whose conversation was held in those months.
    let (nhs, name, cycle, held_on) = store
        .all_patients()
        .unwrap()
        .into_iter()
        .filter(|p| p.details.status == RegistrationStatus::Registered)
        .find_map(|p| {
            let (cycle, _, on) = *store.conversations_held(p.id).unwrap().last()?;
            let unanswered = store.feedback_forms(cycle).unwrap().is_empty();
            let name = format!("{} {}", p.details.name.given(), p.details.name.family());
            (range.contains(on) && unanswered)
                .then(|| (p.details.nhs_number.as_str().to_string(), name, cycle, on))
        })
        .expect("someone registered had their latest conversation in those months");
    go_to(session, &format!("#/patient/{nhs}"));
    session.find("#patient-name");
    session.click(&session.find("#open-feedback"));
    session.find("#feedback-heading");
    // With more than one conversation held, the latest is chosen from a list.
    let about = match session.find_all("#feedback-review option:checked").first() {
        Some(option) => session.text(option),
        None => session.text(&session.find("#feedback-conversation")),
    };
    let day = alongside::domain::person::format_date(held_on);
    assert!(about.contains(&day), "the form is about their conversation: {about}");
    assert_eq!(session.text(&session.find("#feedback-name")), name);
    set_date(session, "feedback-date", &held_on.to_string());
    for radio in ["collaborate-0-4", "collaborate-1-4", "collaborate-2-3"] {
        session.click(&session.find(&format!("#{radio}")));
    }
    for (question, answer) in [(0, "5"), (1, "4"), (2, "5"), (3, "n"), (4, "4"), (5, "5")] {
        session.click(&session.find(&format!("#care-{question}-{answer}")));
    }
    // The keyboard moves along a question's answers: "Good" then the right arrow, "Very good".
    session.click(&session.find("#care-6-3"));
    session.type_into(&session.find("#care-6-3"), "\u{E014}");
    session.click(&session.find("#care-7-5"));
    session.click(&session.find("#care-8-5"));
    // Question 10 left blank, as on the paper.
    scroll_to(session, "care-part");
    display.screenshot("e2e-feedback-form.png");
    session.click(&session.find("#save-feedback"));
    let saved = session.text(&session.find("#feedback-saved"));
    assert!(saved.starts_with(&format!("Saved: the form of {day}")), "{saved}");
    let answers = session.text(&session.find("#entered-answers"));
    assert!(answers.contains("Every effort was made (4)"), "{answers}");
    assert!(answers.contains("Does not apply") && answers.contains("Left blank"), "{answers}");
    display.screenshot("e2e-feedback-saved.png");
    let stored = store.feedback_forms(cycle).unwrap();
    assert_eq!(stored.len(), 1, "one form kept");
    let codes = stored[0].0.form.codes();
    assert_eq!((codes.0.as_str(), codes.1.as_str()), ("443", "545n45455-"), "as ticked");

    // A misread answer is corrected, with a reason; the first form is kept.
    session.click(&session.find("#correct-form"));
    session.click(&session.find("#collaborate-2-4"));
    session.click(&session.find("#save-feedback"));
    let refused = session.text(&session.find("#feedback-status .message-error"));
    assert_eq!(refused, "Say why the form is being corrected");
    session.type_into(&session.find("#feedback-reason"), "question 3 misread: every effort");
    session.click(&session.find("#save-feedback"));
    let corrected = session.text(&session.find("#feedback-saved"));
    assert!(corrected.starts_with("Corrected:"), "{corrected}");
    let stored = store.feedback_forms(cycle).unwrap();
    assert_eq!(stored.len(), 2, "both forms kept");
    assert!(!stored[0].1 && stored[1].1, "only the correction counts");
    assert_eq!(stored[1].0.form.codes().0, "444");

    // Back on Reports, the same months: the form counts, for everyone.
    session.click(&session.find("a[data-nav='reports']"));
    session.find(&format!("#report-body[data-from='{from}'][data-to='{to}']"));
    choose(session, "#report-group", "all");
    session.find("#report-body[data-group='all']");
    let now = library(&store);
    let forms = now.report.figure(Group::All, "feedback_forms").unwrap().measure;
    let before = expected.report.figure(Group::All, "feedback_forms").unwrap().measure;
    assert_eq!(forms.count(), before.count() + 1, "the form is counted");
    assert_eq!(session.text(&session.find("#figure-feedback_forms-value")), figure_text(forms));
}

/// Whether the menu offers the link to `nav` (its list item is not hidden).
pub(super) fn menu_offers(session: &Session, nav: &str) -> bool {
    let item = session.find_xpath(&format!("//li[a[@data-nav='{nav}']]"));
    session.property(&item, "hidden") != "true"
        && session.call("GET", &format!("element/{item}/displayed"), json!({})).unwrap() == true
}

/// Types a username and password into the sign-in form and presses Enter.
pub(super) fn try_password(session: &Session, username: &str, password: &str) {
    let name = session.find("#sign-in-username");
    session.clear(&name);
    session.type_into(&name, username);
    session.type_into(&session.find("#sign-in-password"), &format!("{password}\u{E007}"));
}

#[test]
fn a_receptionist_an_hca_a_nurse_and_a_gp_share_one_pc_through_a_day_and_the_practice_can_show_who_did_what(
) {
    use alongside::store::AuditFilter;
    let sandbox = Sandbox::new();
    let row = format!("{HCA_PATIENT},Mensah,Abena,12/03/1956,44054006;59621000");
    let (data, demo) = demo_with_contact1_today(&sandbox, &row, HCA_PATIENT);
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["demo"]);
    let screen_text = || session.text(&session.find("#lock-screen"));

    // Morning: the receptionist works recall and finds people, but sees no clinical menu.
    session.sign_in("reception");
    assert!(menu_offers(&session, "recall") && menu_offers(&session, "register"));
    for clinical in ["clinic", "triage", "packs", "audit"] {
        assert!(!menu_offers(&session, clinical), "a receptionist is not offered {clinical}");
    }
    go_to(&session, &format!("#/patient/{HCA_PATIENT}"));
    assert_eq!(session.text(&session.find("#patient-name")), "Abena Mensah");
    session.click(&session.find("#back-to-register"));
    session.type_into(&session.find("#search"), "Mens");
    session.find(&format!("tr[data-nhs='{HCA_PATIENT}']"));
    // She steps away: Lock hides everything until someone signs in.
    session.click(&session.find("#lock-button"));
    session.find("#lock-screen:not([hidden])");
    session.find("#app[hidden]");
    assert!(screen_text().contains("Rita Reception locked it"), "{}", screen_text());

    // The HCA signs in at the same PC and starts Abena's contact 1.
    session.sign_in("hca");
    assert!(menu_offers(&session, "clinic") && !menu_offers(&session, "triage"));
    session.click(&session.find("a[data-nav='clinic']"));
    session.click(&session.find_xpath("//table[@id='clinic-list']//a[.='Abena Mensah']"));
    session.find("#contact1-heading");
    // A weight typed but not yet entered when she locks the screen is saved, not lost.
    session.type_into(&session.find("#item-weight-input"), "82.4");
    session.click(&session.find("#lock-button"));
    session.find("#lock-screen:not([hidden])");
    let recorded_by = |user: &str, action: &str| {
        let store = Store::open(&demo).unwrap();
        let filter = AuditFilter {
            actor: Some(user.into()),
            action: Some(action.into()),
            ..Default::default()
        };
        store.audit_entries(&filter, 100, 0).unwrap()
    };
    let weights = recorded_by("hca", "observation.record");
    assert!(
        weights.iter().any(|row| row.entry.summary.contains("82.4")),
        "the weight was saved before the screen locked: {:?}",
        weights.iter().map(|r| &r.entry.summary).collect::<Vec<_>>()
    );

    // The nurse mistypes her password three times; a fourth try waits, even with the right one.
    for _ in 0..3 {
        try_password(&session, "nurse", "not-my-password");
        // Sending the form clears the last message, so this waits for the answer to this try.
        let answer = session.text(&session.find("#sign-in-message > *")).to_lowercase();
        assert!(answer.contains("the username or password is not right"), "{answer}");
    }
    try_password(&session, "nurse", &alongside::exchange::access::demo_password("nurse"));
    let answer = session.text(&session.find("#sign-in-message > *")).to_lowercase();
    // Five seconds from the third wrong one, counted in whole seconds.
    let waits = ["wait 5 seconds", "wait 4 seconds"].iter().any(|w| answer.contains(w));
    assert!(answer.contains("too many wrong passwords") && waits, "{answer}");
    session.find("#app[hidden]");

    // The GP signs in instead: triage, and no recall work; the HCA's checklist is not shown.
    session.sign_in("gp");
    assert!(menu_offers(&session, "triage") && !menu_offers(&session, "recall"));
    assert!(session.find_all("#contact1-heading").is_empty(), "the HCA's view is put away");
    session.click(&session.find("a[data-nav='triage']"));
    session.find("h1");

    // The HCA comes back: her checklist is as she left it, the weight saved.
    session.switch_to("hca");
    session.find("#contact1-heading");
    assert_eq!(session.text(&session.find("#value-weight")), "82.4 kg");

    // She leaves the PC without locking it: after the practice's idle minutes it locks itself.
    let later = "const real = Date.now; Date.now = () => real() + 6 * 60 * 1000;";
    session.call("POST", "execute/sync", json!({"script": later, "args": []})).unwrap();
    session.find("#lock-screen:not([hidden])");
    assert!(screen_text().contains("Harry Assistant locked it"), "{}", screen_text());
    display.screenshot("e2e-locked.png");

    // The receptionist's search is where she left it.
    session.sign_in("reception");
    assert_eq!(session.property(&session.find("#search"), "value"), "Mens");

    // At the end of the day the administrator shows who looked at Abena's record and who
    // changed it, and that the record of it was not altered.
    session.switch_to("admin");
    session.click(&session.find("a[data-nav='audit']"));
    session.type_into(&session.find("#audit-nhs"), &format!("{HCA_PATIENT}\u{E007}"));
    session.find(&format!("#audit-table[data-nhs='{HCA_PATIENT}'][aria-busy='false']"));
    let viewed = session
        .find_xpath("//table[@id='audit-table']//tr[td[.='reception'] and td[.='record.viewed']]");
    assert!(session.text(&viewed).contains("Abena Mensah"));
    session
        .find_xpath("//table[@id='audit-table']//tr[td[.='hca'] and td[.='observation.record']]");
    display.screenshot("e2e-audit.png");
    session.click(&session.find("#audit-check"));
    let whole = session.text(&session.find("#audit-check-result .message-success"));
    assert!(whole.contains("none was changed or removed"), "{whole}");
    let sheet = sandbox.path("abena-audit.csv");
    session.click(&session.find("#audit-save"));
    display.save_as("Save the audit entries", &sheet);
    session.find("#audit-saved .message-success");
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(text.lines().skip(1).all(|line| line.contains(HCA_PATIENT)), "{text}");
    assert!(text.contains("record.viewed") && text.contains("observation.record"));
    let exported = recorded_by("admin", "audit.exported");
    assert_eq!(exported.len(), 1, "saving the entries is itself recorded");
}

#[test]
fn an_administrator_adds_a_nurse_who_signs_in_changes_her_password_and_the_lock_minutes_are_kept() {
    let sandbox = Sandbox::new();
    let app = open_demo(&sandbox, "admin");
    let (session, display) = (&app.session, &app.display);

    // Settings: the screen locks after 3 idle minutes from now on; other settings are kept.
    session.click(&session.find("a[data-nav='settings']"));
    let minutes = session.find("#lock-minutes");
    assert_eq!(session.property(&minutes, "value"), "5", "five minutes unless changed");
    session.clear(&minutes);
    session.type_into(&minutes, "3");
    session.click(&session.find("#save-settings"));
    let saved = session.text(&session.find("#settings-message .message-success"));
    assert_eq!(saved, "Saved: 1 setting changed.");
    let settings = Store::open(&app.demo).unwrap().practice_settings(&catalogue()).unwrap();
    assert_eq!(settings.lock_minutes, 3);

    // Staff accounts: add Kim, a nurse.
    session.click(&session.find("#open-staff"));
    session.find("#staff-table");
    session.type_into(&session.find("#new-username"), "K.Lee");
    session.type_into(&session.find("#new-full-name"), "Kim Lee");
    choose(session, "#new-role", "nurse");
    session.type_into(&session.find("#new-password"), "short");
    session.click(&session.find("#add-account"));
    let refused = session.text(&session.find("#staff-status .message-error"));
    assert!(refused.contains("at least 10 characters"), "{refused}");
    session.clear(&session.find("#new-password"));
    session.type_into(&session.find("#new-password"), "first-password-kim");
    session.click(&session.find("#add-account"));
    let added = session.text(&session.find("#staff-status .message-success"));
    assert_eq!(added, "Kim Lee can now sign in as k.lee.");
    let row = session.find("tr[data-account='k.lee']");
    assert!(session.text(&row).contains("Nurse"));
    // The administrator cannot disable their own account from here.
    let own = session.find("button[data-active-change='admin']");
    assert!(!session.enabled(&own));
    session.click(&session.find("#role-table summary"));
    display.screenshot("e2e-staff.png");

    // Kim signs in, sees the clinical menu but not Settings' staff accounts, and changes her
    // password; the next sign-in needs the new one.
    session.click(&session.find("#switch-button"));
    session.find("#lock-screen:not([hidden])");
    display.screenshot("e2e-sign-in.png");
    let hint = session.text(&session.find("#demo-accounts"));
    assert!(hint.contains("alongside-nurse"), "the demonstration says how to sign in: {hint}");
    try_password(session, "k.lee", "first-password-kim");
    session.find("#lock-screen[hidden]");
    assert!(menu_offers(session, "triage") && !menu_offers(session, "audit"));
    session.click(&session.find("#password-link"));
    session.type_into(&session.find("#current-password"), "first-password-kim");
    session.type_into(&session.find("#changed-password"), "kims-own-password");
    session.type_into(&session.find("#changed-password-again"), "kims-own-passwort");
    session.click(&session.find("#change-password"));
    let differ = session.text(&session.find("#password-message .message-error"));
    assert!(differ.contains("not the same"), "{differ}");
    session.clear(&session.find("#changed-password-again"));
    session.type_into(&session.find("#changed-password-again"), "kims-own-password");
    session.click(&session.find("#change-password"));
    session.find("#password-message .message-success");
    session.click(&session.find("#lock-button"));
    try_password(session, "k.lee", "first-password-kim");
    let answer = session.text(&session.find("#sign-in-message > *")).to_lowercase();
    assert!(answer.contains("not right"), "{answer}");
    try_password(session, "k.lee", "kims-own-password");
    session.find("#lock-screen[hidden]");
    let who = session.text(&session.find("#who-name"));
    assert_eq!(who, "Kim Lee (Nurse)");

    // About says which version this is, where the database is, and every licence.
    session.click(&session.find("#about-link"));
    assert_eq!(session.text(&session.find("#about-version")), env!("CARGO_PKG_VERSION"));
    assert_eq!(session.text(&session.find("#about-database")), app.demo.display().to_string());
    let crate_licence = session.find("details[data-crate='rusqlite'] summary");
    session.click(&crate_licence);
    let text = session.text(&session.find("details[data-crate='rusqlite'] .licence-text"));
    assert!(text.contains("Permission is hereby granted"), "{text}");
    display.screenshot("e2e-about.png");
}

#[test]
fn the_first_start_of_a_new_practice_asks_for_its_first_administrator() {
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = sandbox.path("new-practice.sqlite");
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["--db", db.to_str().unwrap()]);
    session.find("#first-admin-form");
    session.find("#app[hidden]");
    session.type_into(&session.find("#first-admin-username"), "j.hart");
    session.type_into(&session.find("#first-admin-name"), "Jo Hart");
    session.type_into(&session.find("#first-admin-password"), "a-long-enough-password");
    session
        .type_into(&session.find("#first-admin-password-again"), "a-long-enough-pasword\u{E007}");
    let slip = session.text(&session.find("#first-admin-message .message-error"));
    assert!(slip.contains("not the same"), "{slip}");
    let (password, again) =
        (session.find("#first-admin-password"), session.find("#first-admin-password-again"));
    session.clear(&password);
    session.clear(&again);
    session.type_into(&password, "short");
    session.type_into(&again, "short\u{E007}");
    let refused = session.text(&session.find("#first-admin-message .message-error"));
    assert!(refused.contains("at least 10 characters"), "{refused}");
    session.clear(&password);
    session.clear(&again);
    session.type_into(&password, "a-long-enough-password");
    session.type_into(&again, "a-long-enough-password\u{E007}");
    session.find("#lock-screen[hidden]");
    assert_eq!(session.text(&session.find("#who-name")), "Jo Hart (Administrator)");
    assert!(menu_offers(&session, "settings") && menu_offers(&session, "audit"));
    // The administrator adds a receptionist, who signs in to the practice's own (not the
    // demonstration) database and works from the register.
    go_to(&session, "#/settings/staff");
    session.type_into(&session.find("#new-username"), "r.khan");
    session.type_into(&session.find("#new-full-name"), "Rosa Khan");
    session.type_into(&session.find("#new-password"), "reception-password");
    session.click(&session.find("#add-account"));
    session.find("#staff-status .message-success");
    // The next morning she is the first to sign in after the app starts.
    drop(session);
    let session = driver.session(&["--db", db.to_str().unwrap()]);
    try_password(&session, "r.khan", "reception-password");
    session.find("#lock-screen[hidden]");
    session.find("#results");
    assert!(session.find_all("#main .message-error").is_empty(), "the register, not an error");
    assert!(menu_offers(&session, "recall") && !menu_offers(&session, "audit"));
    let accounts = Store::open(&db).unwrap().accounts().unwrap();
    let names: Vec<&str> = accounts.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(names, ["j.hart", "r.khan"]);
}

#[test]
fn a_database_that_cannot_be_updated_is_left_as_it_was_and_the_window_says_what_to_do() {
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    std::fs::create_dir_all(&data).unwrap();
    // A practice's database from the version before, holding something the update does not
    // expect: a table by the name the update creates.
    let current = alongside::store::schema_version();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/upgrade/schema-{}.sqlite", current - 1));
    let db = sandbox.path("practice.sqlite");
    std::fs::copy(fixture, &db).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE staff_account (note TEXT)")
        .unwrap();
    let bytes = std::fs::read(&db).unwrap();
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["--db", db.to_str().unwrap()]);
    let why = session.text(&session.find("#open-problem-why"));
    assert!(why.contains("(table staff_account already exists)"), "in a few words: {why}");
    assert!(why.contains("left exactly as it was"), "{why}");
    assert!(why.contains("a copy from before was kept at"), "{why}");
    assert!(why.contains("Go on using the earlier version of Alongside"), "{why}");
    session.find("#app[hidden]");
    display.screenshot("e2e-cannot-update.png");
    drop(session);
    assert!(std::fs::read(&db).unwrap() == bytes, "the database is byte for byte as it was");
}

#[test]
fn the_demonstration_practice_from_the_version_before_says_it_was_brought_up_to_date() {
    let sandbox = Sandbox::new();
    let data = sandbox.path("data");
    let folder = data.join("alongside");
    std::fs::create_dir_all(&folder).unwrap();
    let current = alongside::store::schema_version();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/upgrade/schema-{}.sqlite", current - 1));
    std::fs::copy(fixture, folder.join("demo.sqlite")).unwrap();
    let display = Display::start();
    let driver = Driver::start(&display, &data);
    let session = driver.session(&["demo"]);
    // It had no staff accounts: `alongside demo` gives it the demonstration's own.
    session.sign_in("nurse");
    let notice = session.text(&session.find("#upgrade-notice:not([hidden])"));
    let copy = folder.join("demo-before-upgrade-").display().to_string();
    assert!(notice.contains(&copy), "the window says where the copy is: {notice}");
    assert!(notice.contains(&format!("database version {} to {current}", current - 1)), "{notice}");
}
