//! Alongside's integration tests, in one binary: the real CLI, the store on temporary files,
//! the IPC commands through Tauri's mock runtime, the real window through WebDriver, and the
//! tidy checks that keep the architecture's invariants.

mod access;
mod access_cli;
mod backup;
mod careplans;
mod cli;
mod contact1;
mod crash;
#[cfg(target_os = "linux")] // Xvfb, xdotool and WebKitWebDriver drive the real window.
mod e2e;
mod exports;
mod fhir;
mod import;
mod ipc;
mod letters;
mod packs;
// Installs the previous and this version's Debian packages: run by .ci/package-upgrade.
#[cfg(all(target_os = "linux", feature = "installed-package"))]
mod package;
mod recall;
mod reports;
mod results;
mod rules;
mod search;
mod steering;
mod store;
mod support;
mod surveillance;
mod tidy;
mod triage;
mod upgrade;
