//! The desktop window: the Tauri builder, the state it holds and the commands the screens call.
//! Commands are thin: a DTO in, a call to the store or exchange, a DTO out.

mod audit;
mod backup;
mod careplans;
mod commands;
mod contact1;
mod dto;
mod packs;
mod recall;
mod reports;
mod session;
mod settings;
mod staff;
mod triage;

use std::sync::Mutex;

use tauri::{Builder, Manager, Runtime};

use crate::domain::access::PermissionTable;
use crate::domain::careplan::CarePlanTexts;
use crate::domain::catalogue::Catalogue;
use crate::domain::invitation::InvitationTexts;
use crate::domain::pack::PackTexts;
use crate::domain::rules::RuleSet;
use crate::store::Store;

pub use dto::IpcError;
pub use session::{need, need_for, Clock, COMMANDS};

/// What every command can reach: the open database, the condition catalogue, the triage rules
/// and the wording of letters.
pub struct AppState {
    store: Mutex<Store>,
    catalogue: Catalogue,
    /// The triage rules as shipped (checked at start-up); the practice's own thresholds are
    /// read from the store each time.
    rules: RuleSet,
    texts: InvitationTexts,
    /// The wording of preparation packs.
    pack_texts: PackTexts,
    /// The wording of the printed care and support plan.
    careplan_texts: CarePlanTexts,
    /// Who may do what.
    permissions: PermissionTable,
    /// Who is signed in, and whether the screen is locked.
    session: Mutex<session::Session>,
    /// The time now, for the idle lock and wrong passwords.
    clock: Clock,
    /// Why the practice's database could not be opened, when it could not: the window then
    /// shows only this, and refuses every command.
    problem: Option<String>,
}

impl AppState {
    /// The state with the shipped pack wording; `with_pack_texts` sets the practice's own.
    pub fn new(
        store: Store,
        catalogue: Catalogue,
        rules: RuleSet,
        texts: InvitationTexts,
    ) -> AppState {
        let pack_texts = crate::assets::pack_texts(&catalogue)
            .expect("the shipped pack texts fit the catalogue");
        let careplan_texts =
            crate::assets::careplan_texts().expect("the shipped care plan texts are whole");
        let lock_minutes = store
            .practice_settings(&catalogue)
            .map(|s| s.lock_minutes)
            .unwrap_or(crate::domain::access::DEFAULT_LOCK_MINUTES);
        let session =
            session::Session { user: None, locked: false, last_command: None, lock_minutes };
        AppState {
            store: Mutex::new(store),
            catalogue,
            rules,
            texts,
            pack_texts,
            careplan_texts,
            permissions: crate::assets::permissions()
                .expect("the shipped permission table is whole"),
            session: Mutex::new(session),
            clock: session::system_clock(),
            problem: None,
        }
    }

    /// The state of a window that could not open the practice's database, saying why.
    pub fn with_problem(self, problem: String) -> AppState {
        AppState { problem: Some(problem), ..self }
    }

    /// The state with its own clock (UTC), for tests of the idle lock.
    pub fn with_clock(self, clock: Clock) -> AppState {
        AppState { clock, ..self }
    }

    pub fn with_pack_texts(self, pack_texts: PackTexts) -> AppState {
        AppState { pack_texts, ..self }
    }

    pub fn with_careplan_texts(self, careplan_texts: CarePlanTexts) -> AppState {
        AppState { careplan_texts, ..self }
    }
}

/// Registers the state and every command. Shared by the real window and the IPC tests.
pub fn configure<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    let commands = every_command::<R>();
    // The one gate: every command is checked against the signed-in user's role first.
    builder.manage(state).invoke_handler(move |invoke| {
        let kind = match invoke.message.payload() {
            tauri::ipc::InvokeBody::Json(args) => {
                args.get("kind").and_then(|k| k.as_str()).map(str::to_string)
            }
            _ => None,
        };
        let webview = invoke.message.webview();
        let state = webview.state::<AppState>();
        match session::admit(&state, invoke.message.command(), kind.as_deref()) {
            Ok(()) => commands(invoke),
            Err(refused) => {
                invoke.resolver.reject(refused);
                true
            }
        }
    })
}

/// Every command of the window, each listed in `session::COMMANDS` with what it needs.
fn every_command<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::session_state,
        session::sign_in,
        session::create_first_administrator,
        session::lock_screen,
        session::sign_out,
        session::keep_alive,
        commands::app_info,
        commands::about,
        commands::list_conditions,
        commands::search_patients,
        commands::export_register,
        commands::get_patient,
        commands::preview_register_import,
        commands::confirm_register_import,
        commands::save_rejected_rows,
        contact1::clinic_day,
        contact1::get_checklist,
        contact1::record_value_now,
        contact1::mark_items_not_done,
        contact1::correct_value,
        contact1::finish_appointment,
        recall::recall_list,
        recall::prepare_invitation_batch,
        recall::confirm_invitation_batch,
        recall::cancel_invitation_batch,
        recall::open_invitation_batch,
        recall::get_review,
        recall::record_review_action,
        recall::set_review_month,
        settings::get_settings,
        settings::save_settings,
        settings::set_logo,
        triage::triage_worklist,
        triage::get_triage,
        triage::acknowledge_finding,
        triage::record_triage,
        triage::list_rules,
        triage::change_rule,
        packs::packs_list,
        packs::print_packs,
        packs::confirm_packs,
        packs::cancel_packs,
        packs::open_pack_batch,
        packs::reprint_pack,
        careplans::get_conversation,
        careplans::start_plan,
        careplans::save_plan,
        careplans::agree_plan,
        careplans::decline_conversation,
        careplans::set_aside_plan,
        careplans::print_plan,
        careplans::export_plan_fhir,
        careplans::search_directory,
        careplans::save_service,
        careplans::retire_service,
        careplans::import_directory,
        careplans::export_directory,
        backup::backup_status,
        backup::make_backup,
        backup::check_backup_file,
        backup::restore_backup,
        reports::report,
        reports::report_people,
        reports::export_report_figures,
        reports::export_report_pdf,
        reports::export_report_rows,
        reports::feedback_for,
        reports::enter_feedback,
        staff::list_accounts,
        staff::add_staff_account,
        staff::set_staff_role,
        staff::set_staff_active,
        staff::set_staff_password,
        staff::change_my_password,
        audit::audit_trail,
        audit::audit_choices,
        audit::export_audit_trail,
        audit::verify_audit_trail,
    ]
}

/// Opens the window on `store` and returns when it is closed.
pub fn run(
    store: Store,
    catalogue: Catalogue,
    rules: RuleSet,
    texts: InvitationTexts,
    pack_texts: PackTexts,
    careplan_texts: CarePlanTexts,
) -> Result<(), String> {
    let title = window_title(&store);
    let database = store.path().to_path_buf();
    std::thread::spawn(move || backup::take_daily_snapshot(&database));
    let state = AppState::new(store, catalogue, rules, texts)
        .with_pack_texts(pack_texts)
        .with_careplan_texts(careplan_texts);
    open_window(state, title)
}

/// Opens the window only to say why the practice's database could not be opened (a failed
/// update, a database from a newer version, a damaged file), for someone who started
/// Alongside from the desktop and would otherwise see nothing. Returns when it is closed.
pub fn run_with_problem(
    problem: String,
    catalogue: Catalogue,
    rules: RuleSet,
    texts: InvitationTexts,
) -> Result<(), String> {
    // Nothing is read or written: an empty database in memory stands in for the practice's.
    let nothing = Store::open(std::path::Path::new(":memory:")).map_err(|e| e.to_string())?;
    let state = AppState::new(nothing, catalogue, rules, texts).with_problem(problem);
    open_window(state, "Alongside — the practice's database could not be opened".into())
}

fn open_window(state: AppState, title: String) -> Result<(), String> {
    // WebKitGTK's DMA-BUF renderer shows a blank or stale window on machines without a working
    // GPU (virtual machines, remote desktops). Drawing without it costs little for this app.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    let builder = configure(Builder::default(), state).plugin(tauri_plugin_dialog::init()).setup(
        move |app| {
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(&title)?;
            }
            Ok(())
        },
    );
    builder.run(tauri::generate_context!()).map_err(|e| format!("the window could not open: {e}"))
}

fn window_title(store: &Store) -> String {
    let title = match store.practice_name().ok().flatten() {
        Some(name) => format!("Alongside — {name}"),
        None => "Alongside".to_string(),
    };
    // Every change is refused with a message; the title says so before anyone tries.
    if store.is_read_only() {
        format!("{title} (read-only: changes cannot be saved)")
    } else {
        title
    }
}
