//! The Staff accounts screen (administrators add people, change their role, disable or enable
//! them and set a new password) and everyone's own password change. Every change is audited
//! by the store in the same transaction.

use serde::Serialize;
use tauri::State;

use super::commands::lock;
use super::dto::{ErrorCode, IpcError};
use super::session::{actor, session};
use super::AppState;
use crate::domain::access::{password_matches, Role};
use crate::exchange::access::{add_account, change_password};
use crate::store::{Account, StoreError};

#[derive(Serialize)]
pub struct AccountDto {
    pub username: String,
    pub full_name: String,
    pub role: &'static str,
    pub role_name: &'static str,
    pub active: bool,
    /// When it was added (UTC, as stored).
    pub created_at: String,
}

impl From<&Account> for AccountDto {
    fn from(a: &Account) -> AccountDto {
        AccountDto {
            username: a.username.clone(),
            full_name: a.full_name.clone(),
            role: a.role.id(),
            role_name: a.role.name(),
            active: a.active,
            created_at: a.created_at.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct RoleDto {
    pub id: &'static str,
    pub name: &'static str,
    /// What the role may do, from the permission table, in its words.
    pub may: Vec<String>,
}

#[derive(Serialize)]
pub struct StaffDto {
    pub accounts: Vec<AccountDto>,
    pub roles: Vec<RoleDto>,
    /// The signed-in administrator, who may not disable themselves.
    pub you: Option<String>,
}

fn role(text: &str) -> Result<Role, IpcError> {
    Role::parse(text).map_err(|e| IpcError::new(ErrorCode::InvalidInput, e))
}

fn username(text: &str) -> String {
    text.trim().to_ascii_lowercase()
}

/// Every account, active ones first, and the roles an account may have.
#[tauri::command(async)]
pub fn list_accounts(state: State<'_, AppState>) -> Result<StaffDto, IpcError> {
    let mut accounts = lock(&state).accounts()?;
    accounts.sort_by(|a, b| b.active.cmp(&a.active).then_with(|| a.username.cmp(&b.username)));
    Ok(StaffDto {
        accounts: accounts.iter().map(AccountDto::from).collect(),
        roles: Role::ALL
            .iter()
            .map(|&role| RoleDto {
                id: role.id(),
                name: role.name(),
                may: state
                    .permissions
                    .entries()
                    .iter()
                    .filter(|e| e.roles.contains(&role))
                    .map(|e| e.what.clone())
                    .collect(),
            })
            .collect(),
        you: session(&state).user.as_ref().map(|u| u.username.clone()),
    })
}

/// Adds an account with a first password the person is told in person.
#[tauri::command(async)]
pub fn add_staff_account(
    state: State<'_, AppState>,
    username: String,
    name: String,
    role_id: String,
    password: String,
) -> Result<AccountDto, IpcError> {
    let role = role(&role_id)?;
    let actor = actor(&state);
    let account = add_account(&mut lock(&state), &actor, &username, name.trim(), role, &password)?;
    Ok(AccountDto::from(&account))
}

/// Changes an account's role. The signed-in user's own role changes at once.
#[tauri::command(async)]
pub fn set_staff_role(
    state: State<'_, AppState>,
    username: String,
    role_id: String,
) -> Result<(), IpcError> {
    let role = role(&role_id)?;
    let name = self::username(&username);
    let actor = actor(&state);
    lock(&state).write::<_, StoreError>(&actor, |w| w.set_account_role(&name, role))?;
    if let Some(user) = session(&state).user.as_mut().filter(|u| u.username == name) {
        user.role = role;
    }
    Ok(())
}

/// Disables or enables an account. No one disables the account they are signed in with.
#[tauri::command(async)]
pub fn set_staff_active(
    state: State<'_, AppState>,
    username: String,
    active: bool,
) -> Result<(), IpcError> {
    let name = self::username(&username);
    let signed_in = session(&state).user.as_ref().is_some_and(|u| u.username == name);
    if signed_in && !active {
        return Err(IpcError::new(
            ErrorCode::Refused,
            "you cannot disable the account you are signed in with: ask another administrator",
        ));
    }
    let actor = actor(&state);
    lock(&state).write::<_, StoreError>(&actor, |w| w.set_account_active(&name, active))?;
    Ok(())
}

/// Sets a new password for someone who has forgotten theirs.
#[tauri::command(async)]
pub fn set_staff_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<(), IpcError> {
    let name = self::username(&username);
    let actor = actor(&state);
    let mut store = lock(&state);
    if store.account(&name)?.is_none() {
        return Err(IpcError::new(
            ErrorCode::NotFound,
            format!("there is no account called '{name}'"),
        ));
    }
    change_password(&mut store, &actor, &name, &password)?;
    Ok(())
}

/// The signed-in user changes their own password, giving the one they have now.
#[tauri::command(async)]
pub fn change_my_password(
    state: State<'_, AppState>,
    current: String,
    password: String,
) -> Result<(), IpcError> {
    let Some(name) = session(&state).user.as_ref().map(|u| u.username.clone()) else {
        return Err(IpcError::new(ErrorCode::SignInNeeded, "sign in first"));
    };
    let actor = actor(&state);
    let mut store = lock(&state);
    let account = store.account(&name)?.ok_or_else(|| {
        IpcError::new(ErrorCode::NotFound, format!("there is no account called '{name}'"))
    })?;
    if !password_matches(&current, &account.password_hash) {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "that is not your current password: nothing was changed",
        ));
    }
    change_password(&mut store, &actor, &name, &password)?;
    Ok(())
}
