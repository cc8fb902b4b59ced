//! Who is signed in to the window: signing in and out, the first administrator of a new
//! practice, the locked screen, and the one gate every command passes through, which checks the
//! signed-in user's role against the permission table and locks the session after the idle
//! minutes even if the screen did not.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use tauri::State;

use super::commands::{lock, parse_nhs, registered};
use super::dto::{ErrorCode, IpcError};
use super::AppState;
use crate::domain::access::{refusal, Need, Permission, Role};
use crate::exchange::access::{add_account, sign_in as check_sign_in, AccessError, SignedIn};
use crate::store::Actor;

/// The signed-in user, whether the screen is locked, and when they last did something.
pub(super) struct Session {
    pub(super) user: Option<SignedIn>,
    pub(super) locked: bool,
    pub(super) last_command: Option<NaiveDateTime>,
    pub(super) lock_minutes: u32,
}

/// The time now (UTC); tests set their own.
pub type Clock = Box<dyn Fn() -> NaiveDateTime + Send + Sync>;

pub(super) fn system_clock() -> Clock {
    Box::new(|| chrono::Utc::now().naive_utc())
}

use Need::{Nobody, SignedIn as Anyone};
use Permission as P;

/// What each command of the window needs. A command not listed is refused.
pub const COMMANDS: &[(&str, Need)] = &[
    ("session_state", Nobody),
    ("sign_in", Nobody),
    ("create_first_administrator", Nobody),
    ("lock_screen", Nobody),
    ("sign_out", Nobody),
    ("keep_alive", Anyone),
    ("app_info", Anyone),
    ("about", Anyone),
    ("list_conditions", Anyone),
    ("search_patients", Need::Permission(P::PeopleFind)),
    ("get_patient", Need::Permission(P::PeopleFind)),
    ("export_register", Need::Permission(P::RegisterExport)),
    // A results file (`kind` "results") needs results.import instead: see `need_for`.
    ("preview_register_import", Need::Permission(P::RegisterImport)),
    ("confirm_register_import", Need::Permission(P::RegisterImport)),
    ("save_rejected_rows", Need::Permission(P::RegisterImport)),
    ("clinic_day", Need::Permission(P::Contact1Record)),
    ("get_checklist", Need::Permission(P::PeopleResults)),
    ("record_value_now", Need::Permission(P::Contact1Record)),
    ("mark_items_not_done", Need::Permission(P::Contact1Record)),
    ("correct_value", Need::Permission(P::Contact1Record)),
    ("finish_appointment", Need::Permission(P::Contact1Record)),
    ("recall_list", Need::Permission(P::RecallWork)),
    ("prepare_invitation_batch", Need::Permission(P::RecallWork)),
    ("confirm_invitation_batch", Need::Permission(P::RecallWork)),
    ("cancel_invitation_batch", Need::Permission(P::RecallWork)),
    ("open_invitation_batch", Need::Permission(P::RecallWork)),
    ("get_review", Need::Permission(P::PeopleFind)),
    ("record_review_action", Need::Permission(P::RecallWork)),
    ("set_review_month", Need::Permission(P::RecallWork)),
    ("get_settings", Anyone),
    ("save_settings", Need::Permission(P::SettingsManage)),
    ("set_logo", Need::Permission(P::SettingsManage)),
    ("triage_worklist", Need::Permission(P::TriageReview)),
    ("get_triage", Need::Permission(P::TriageReview)),
    ("acknowledge_finding", Need::Permission(P::FindingsAcknowledge)),
    ("record_triage", Need::Permission(P::TriageReview)),
    ("list_rules", Anyone),
    ("change_rule", Need::Permission(P::RulesManage)),
    ("packs_list", Need::Permission(P::PacksPrint)),
    ("print_packs", Need::Permission(P::PacksPrint)),
    ("confirm_packs", Need::Permission(P::PacksPrint)),
    ("cancel_packs", Need::Permission(P::PacksPrint)),
    ("open_pack_batch", Need::Permission(P::PacksPrint)),
    ("reprint_pack", Need::Permission(P::PacksPrint)),
    ("get_conversation", Need::Permission(P::CareplanView)),
    ("start_plan", Need::Permission(P::CareplanWrite)),
    ("save_plan", Need::Permission(P::CareplanWrite)),
    ("agree_plan", Need::Permission(P::CareplanWrite)),
    ("decline_conversation", Need::Permission(P::CareplanWrite)),
    ("set_aside_plan", Need::Permission(P::CareplanWrite)),
    ("print_plan", Need::Permission(P::CareplanView)),
    ("export_plan_fhir", Need::Permission(P::CareplanWrite)),
    ("search_directory", Need::Permission(P::DirectoryView)),
    ("save_service", Need::Permission(P::DirectoryManage)),
    ("retire_service", Need::Permission(P::DirectoryManage)),
    ("import_directory", Need::Permission(P::DirectoryManage)),
    ("export_directory", Need::Permission(P::DirectoryManage)),
    ("backup_status", Need::Permission(P::BackupMake)),
    ("make_backup", Need::Permission(P::BackupMake)),
    ("check_backup_file", Need::Permission(P::BackupRestore)),
    ("restore_backup", Need::Permission(P::BackupRestore)),
    ("report", Need::Permission(P::ReportsView)),
    ("report_people", Need::Permission(P::ReportsPeople)),
    ("export_report_figures", Need::Permission(P::ReportsView)),
    ("export_report_pdf", Need::Permission(P::ReportsView)),
    ("export_report_rows", Need::Permission(P::ReportsPeople)),
    ("feedback_for", Need::Permission(P::FeedbackEnter)),
    ("enter_feedback", Need::Permission(P::FeedbackEnter)),
    ("list_accounts", Need::Permission(P::UsersManage)),
    ("add_staff_account", Need::Permission(P::UsersManage)),
    ("set_staff_role", Need::Permission(P::UsersManage)),
    ("set_staff_active", Need::Permission(P::UsersManage)),
    ("set_staff_password", Need::Permission(P::UsersManage)),
    ("change_my_password", Anyone),
    ("audit_trail", Need::Permission(P::AuditView)),
    ("audit_choices", Need::Permission(P::AuditView)),
    ("export_audit_trail", Need::Permission(P::AuditView)),
    ("verify_audit_trail", Need::Permission(P::AuditView)),
];

/// What `command` needs, or `None` when the window has no such command.
pub fn need(command: &str) -> Option<Need> {
    COMMANDS.iter().find(|(name, _)| *name == command).map(|(_, need)| *need)
}

/// What `command` needs with these arguments: the import commands take a register or a
/// results file, and a results file needs results.import.
pub fn need_for(command: &str, kind: Option<&str>) -> Option<Need> {
    let need = need(command)?;
    Some(if need == Need::Permission(P::RegisterImport) && kind == Some("results") {
        Need::Permission(P::ResultsImport)
    } else {
        need
    })
}

/// Lets a command through or says why not; a command let through counts as activity.
pub(super) fn admit(state: &AppState, command: &str, kind: Option<&str>) -> Result<(), IpcError> {
    if let Some(problem) = state.problem.as_ref().filter(|_| command != "session_state") {
        return Err(IpcError::new(ErrorCode::Failed, problem.clone()));
    }
    let Some(need) = need_for(command, kind) else {
        return Err(IpcError::new(
            ErrorCode::NotAllowed,
            format!("the window has no command '{command}'"),
        ));
    };
    if need == Nobody {
        return Ok(());
    }
    let now = (state.clock)();
    let mut session = session(state);
    lock_if_idle(&mut session, now);
    let Some(role) = session.user.as_ref().map(|u| u.role) else {
        return Err(IpcError::new(
            ErrorCode::SignInNeeded,
            refusal(None, need, &state.permissions),
        ));
    };
    if session.locked {
        return Err(IpcError::new(
            ErrorCode::SignInNeeded,
            "the screen is locked: sign in again to carry on",
        ));
    }
    if !state.permissions.permits(Some(role), need) {
        return Err(IpcError::new(
            ErrorCode::NotAllowed,
            refusal(Some(role), need, &state.permissions),
        ));
    }
    session.last_command = Some(now);
    Ok(())
}

/// The window locks its screen after the lock minutes without keyboard or mouse, first saving
/// what was being typed. The core locks the session one minute later still, for a window that
/// did not: the minute covers the window's keep-alive, sent at most every 30 seconds.
fn lock_if_idle(session: &mut Session, now: NaiveDateTime) {
    let allowed = Duration::minutes(i64::from(session.lock_minutes) + 1);
    let idle = session.last_command.is_some_and(|last| now - last > allowed);
    if session.user.is_some() && idle {
        session.locked = true;
    }
}

pub(super) fn session(state: &AppState) -> std::sync::MutexGuard<'_, Session> {
    state.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Who the audit trail records for what the signed-in user does.
pub(super) fn actor(state: &AppState) -> Actor {
    session(state).user.as_ref().map(SignedIn::actor).unwrap_or_else(|| Actor::new("unknown"))
}

/// Whether the signed-in user's role has `permission`.
pub(super) fn may(state: &AppState, permission: Permission) -> bool {
    let role = session(state).user.as_ref().map(|u| u.role);
    state.permissions.permits(role, Need::Permission(permission))
}

pub(super) fn set_lock_minutes(state: &AppState, minutes: u32) {
    session(state).lock_minutes = minutes;
}

/// Records that the signed-in user opened one person's record on `screen`, in its own write.
/// A database opened read-only cannot record it; the record is still shown.
/// Refuses an NHS number that is not on the register, as the screens' own reads would.
pub(super) fn record_viewed(
    state: &AppState,
    nhs_number: &str,
    screen: &str,
) -> Result<(), IpcError> {
    let number = parse_nhs(nhs_number)?;
    let actor = actor(state);
    let mut store = lock(state);
    let patient = registered(&store, &number)?;
    store.record_read(
        &actor,
        "record.viewed",
        Some(patient.id),
        &format!("opened on the {screen} screen"),
    )?;
    Ok(())
}

#[derive(Serialize)]
pub struct UserDto {
    pub username: String,
    pub full_name: String,
    pub role: &'static str,
    pub role_name: &'static str,
}

#[derive(Serialize)]
pub struct SessionDto {
    pub user: Option<UserDto>,
    /// The permission ids the user has, such as `people.find`.
    pub permissions: Vec<&'static str>,
    pub locked: bool,
    pub lock_minutes: u32,
    pub has_accounts: bool,
    pub practice_name: Option<String>,
    /// The demonstration practice, whose accounts' passwords are published.
    pub is_demo: bool,
    /// Why the practice's database could not be opened; nothing else works then.
    pub problem: Option<String>,
}

fn session_dto(state: &AppState) -> Result<SessionDto, IpcError> {
    let (has_accounts, practice_name, is_demo) = {
        let store = lock(state);
        (store.has_accounts()?, store.practice_name()?, store.is_demo()?)
    };
    let now = (state.clock)();
    let mut session = session(state);
    lock_if_idle(&mut session, now);
    let role: Option<Role> = session.user.as_ref().map(|u| u.role);
    Ok(SessionDto {
        user: session.user.as_ref().map(|u| UserDto {
            username: u.username.clone(),
            full_name: u.full_name.clone(),
            role: u.role.id(),
            role_name: u.role.name(),
        }),
        permissions: role
            .map(|r| state.permissions.of(r).into_iter().map(Permission::id).collect())
            .unwrap_or_default(),
        locked: session.locked,
        lock_minutes: session.lock_minutes,
        has_accounts,
        practice_name,
        is_demo,
        problem: state.problem.clone(),
    })
}

impl From<AccessError> for IpcError {
    fn from(error: AccessError) -> IpcError {
        match error {
            AccessError::MustWait { seconds, .. } => IpcError::new(
                ErrorCode::InvalidInput,
                format!(
                    "too many wrong passwords: wait {} before trying again",
                    plural(seconds, "second")
                ),
            ),
            AccessError::NotFound(message) => IpcError::new(ErrorCode::NotFound, message),
            AccessError::Store(e) => e.into(),
            AccessError::Open(e) => e.into(),
            other => IpcError::new(ErrorCode::InvalidInput, other.to_string()),
        }
    }
}

fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Who is signed in, what they may do, and whether the screen is locked.
#[tauri::command(async)]
pub fn session_state(state: State<'_, AppState>) -> Result<SessionDto, IpcError> {
    session_dto(&state)
}

/// Signs in. On a locked screen the same user carries on where they were; another user takes
/// over the window.
#[tauri::command(async)]
pub fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<SessionDto, IpcError> {
    let now = (state.clock)();
    let (user, lock_minutes) = {
        let mut store = lock(&state);
        let user = check_sign_in(&mut store, &username, &password, "in the window", now)?;
        (user, store.practice_settings(&state.catalogue)?.lock_minutes)
    };
    {
        let mut session = session(&state);
        session.user = Some(user);
        session.locked = false;
        session.last_command = Some(now);
        session.lock_minutes = lock_minutes;
    }
    session_dto(&state)
}

/// Makes the first account of a practice that has none, an administrator, and signs them in.
#[tauri::command(async)]
pub fn create_first_administrator(
    state: State<'_, AppState>,
    username: String,
    name: String,
    password: String,
) -> Result<SessionDto, IpcError> {
    {
        let mut store = lock(&state);
        if store.has_accounts()? {
            return Err(IpcError::new(
                ErrorCode::Refused,
                "this practice already has staff accounts: sign in with yours",
            ));
        }
        if name.trim().is_empty() {
            return Err(IpcError::new(ErrorCode::InvalidInput, "type the administrator's name"));
        }
        let actor = Actor::new(username.trim());
        add_account(&mut store, &actor, &username, name.trim(), Role::Administrator, &password)?;
    }
    sign_in(state, username, password)
}

/// Locks the screen: nothing more runs until someone signs in.
#[tauri::command(async)]
pub fn lock_screen(state: State<'_, AppState>) -> Result<SessionDto, IpcError> {
    {
        let mut session = session(&state);
        if session.user.is_some() {
            session.locked = true;
        }
    }
    session_dto(&state)
}

#[tauri::command(async)]
pub fn sign_out(state: State<'_, AppState>) -> Result<SessionDto, IpcError> {
    {
        let mut session = session(&state);
        session.user = None;
        session.locked = false;
        session.last_command = None;
    }
    session_dto(&state)
}

/// The screen saw the user at the keyboard or mouse: the session stays open.
#[tauri::command(async)]
pub fn keep_alive() {}
