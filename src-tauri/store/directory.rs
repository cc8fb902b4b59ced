//! The "more than medicine" directory in the database: services added, edited in place (each
//! change audited with what it was before) and retired, never deleted.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Store, StoreError, Write};
use crate::domain::directory::{Access, Category, Service};

/// A service as stored, with whether it is retired.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredService {
    pub id: i64,
    pub service: Service,
    pub retired_at: Option<String>,
}

const COLUMNS: &str = "id, name, category, offers, for_whom, access, phone, email, website, \
                       address, opening_times, cost, accessibility, last_checked, retired_at";

/// A row as read: id, the twelve texts, last checked and retired.
type RawService = (i64, Vec<String>, Option<String>, Option<String>);

fn read(row: &Row<'_>) -> rusqlite::Result<RawService> {
    let mut texts = Vec::with_capacity(12);
    for i in 1..13 {
        texts.push(row.get::<_, String>(i)?);
    }
    Ok((row.get(0)?, texts, row.get(13)?, row.get(14)?))
}

fn service_of((id, t, last_checked, retired_at): RawService) -> Result<StoredService, StoreError> {
    let bad = |what: &str| StoreError::Unreadable(format!("directory service {id}: {what}"));
    let category = Category::parse(&t[1]).ok_or_else(|| bad("category"))?;
    let access = t[4]
        .split(',')
        .filter(|a| !a.is_empty())
        .map(|a| Access::parse(a).ok_or_else(|| bad("access")))
        .collect::<Result<Vec<_>, _>>()?;
    let last_checked = last_checked
        .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| bad("last checked")))
        .transpose()?;
    Ok(StoredService {
        id,
        service: Service {
            name: t[0].clone(),
            category,
            offers: t[2].clone(),
            for_whom: t[3].clone(),
            access,
            phone: t[5].clone(),
            email: t[6].clone(),
            website: t[7].clone(),
            address: t[8].clone(),
            opening_times: t[9].clone(),
            cost: t[10].clone(),
            accessibility: t[11].clone(),
            last_checked,
        },
        retired_at,
    })
}

fn services(conn: &Connection, include_retired: bool) -> Result<Vec<StoredService>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM directory_service {} ORDER BY lower(name), id",
        if include_retired { "" } else { "WHERE retired_at IS NULL" }
    );
    let rows = conn.prepare_cached(&sql)?.query_map([], read)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(service_of).collect()
}

fn service(conn: &Connection, id: i64) -> Result<Option<StoredService>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM directory_service WHERE id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], read).optional()?.map(service_of).transpose()
}

fn access_codes(service: &Service) -> String {
    service.access.iter().map(|a| a.code()).collect::<Vec<_>>().join(",")
}

/// One line saying what a service is, for the audit trail.
fn summary(service: &Service) -> String {
    let f = service.fields();
    format!(
        "{} ({}); offers: {}; for: {}; access: {}; phone: {}; email: {}; website: {}; address: {}; \
         times: {}; cost: {}; accessibility: {}; checked: {}",
        f.name,
        f.category,
        f.offers,
        f.for_whom,
        f.access,
        f.phone,
        f.email,
        f.website,
        f.address,
        f.opening_times,
        f.cost,
        f.accessibility,
        f.last_checked
    )
}

fn refuse_duplicate(error: rusqlite::Error, name: &str) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(e, _)
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Refused(format!("a service called '{name}' is already in the directory"))
        }
        _ => error.into(),
    }
}

impl Store {
    /// The directory in name order; retired services only when asked for.
    pub fn directory(&self, include_retired: bool) -> Result<Vec<StoredService>, StoreError> {
        services(self.conn(), include_retired)
    }

    pub fn directory_service(&self, id: i64) -> Result<Option<StoredService>, StoreError> {
        service(self.conn(), id)
    }
}

impl Write<'_> {
    pub fn directory(&self, include_retired: bool) -> Result<Vec<StoredService>, StoreError> {
        services(&self.tx, include_retired)
    }

    pub fn directory_service(&self, id: i64) -> Result<Option<StoredService>, StoreError> {
        service(&self.tx, id)
    }

    /// Adds a service; audited with what it is.
    pub fn add_service(&mut self, service: &Service) -> Result<i64, StoreError> {
        let s = service;
        self.tx
            .prepare_cached(
                "INSERT INTO directory_service (name, category, offers, for_whom, access, phone,
                     email, website, address, opening_times, cost, accessibility, last_checked,
                     added_by, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                s.name,
                s.category.code(),
                s.offers,
                s.for_whom,
                access_codes(s),
                s.phone,
                s.email,
                s.website,
                s.address,
                s.opening_times,
                s.cost,
                s.accessibility,
                s.last_checked.map(|d| d.to_string()),
                self.actor.name(),
                self.at,
            ])
            .map_err(|e| refuse_duplicate(e, &s.name))?;
        let id = self.tx.last_insert_rowid();
        self.audit("directory.added", None, &format!("service {id}: {}", summary(s)))?;
        Ok(id)
    }

    /// Changes a service in place; the audit entry keeps what it was and what it became.
    /// Returns false when nothing changed (and nothing is written or audited).
    pub fn update_service(&mut self, id: i64, service: &Service) -> Result<bool, StoreError> {
        let before = self
            .directory_service(id)?
            .ok_or_else(|| StoreError::Refused(format!("there is no directory service {id}")))?;
        if before.service == *service {
            return Ok(false);
        }
        let s = service;
        self.tx
            .prepare_cached(
                "UPDATE directory_service SET name = ?2, category = ?3, offers = ?4, for_whom = ?5,
                     access = ?6, phone = ?7, email = ?8, website = ?9, address = ?10,
                     opening_times = ?11, cost = ?12, accessibility = ?13, last_checked = ?14,
                     changed_by = ?15, changed_at = ?16
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                s.name,
                s.category.code(),
                s.offers,
                s.for_whom,
                access_codes(s),
                s.phone,
                s.email,
                s.website,
                s.address,
                s.opening_times,
                s.cost,
                s.accessibility,
                s.last_checked.map(|d| d.to_string()),
                self.actor.name(),
                self.at,
            ])
            .map_err(|e| refuse_duplicate(e, &s.name))?;
        self.audit(
            "directory.changed",
            None,
            &format!("service {id}: was {}; now {}", summary(&before.service), summary(s)),
        )?;
        Ok(true)
    }

    /// Retires a service: it is no longer offered, but every plan that named it still reads it.
    pub fn retire_service(&mut self, id: i64) -> Result<(), StoreError> {
        let found = self
            .directory_service(id)?
            .ok_or_else(|| StoreError::Refused(format!("there is no directory service {id}")))?;
        if found.retired_at.is_some() {
            return Err(StoreError::Refused(format!(
                "'{}' is already retired",
                found.service.name
            )));
        }
        self.tx.execute(
            "UPDATE directory_service SET retired_by = ?2, retired_at = ?3 WHERE id = ?1",
            params![id, self.actor.name(), self.at],
        )?;
        self.audit("directory.retired", None, &format!("service {id}: {}", found.service.name))
    }
}
