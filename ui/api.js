// The only module that talks to the Rust core. Screens call these functions, never `invoke`.

export class AppError extends Error {
  constructor(code, message, suggestion = null) {
    super(message);
    this.code = code;
    // A value to offer instead of what was typed (the mmol/mol of a DCCT percentage).
    this.suggestion = suggestion;
  }
}

// Calls sent and not yet answered, so the lock screen can wait for a save on its way.
const inFlight = new Set();

/** Resolves once every call already sent has been answered (whether it worked or not). */
export async function settled() {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

async function call(command, args = {}) {
  const sent = window.__TAURI__.core.invoke(command, args);
  inFlight.add(sent);
  try {
    return await sent;
  } catch (error) {
    if (error && typeof error === "object" && "message" in error) {
      // Locked (here or by the idle time) or signed out: the app shows the sign-in screen.
      if (error.code === "sign_in_needed") document.dispatchEvent(new CustomEvent("alongside:sign-in-needed"));
      throw new AppError(error.code ?? "failed", error.message, error.suggestion ?? null);
    }
    throw new AppError("failed", String(error));
  } finally {
    inFlight.delete(sent);
  }
}

export const appInfo = () => call("app_info");
export const about = () => call("about");
export const listConditions = () => call("list_conditions");
export const searchPatients = (request) => call("search_patients", { request });
export const getPatient = (nhsNumber) => call("get_patient", { nhsNumber });
export const exportRegister = (target) => call("export_register", { target });
// `kind` is "register" or "results".
export const previewImport = (kind, path) => call("preview_register_import", { path, kind });
export const confirmImport = (kind, path, fingerprintSeen) =>
  call("confirm_register_import", { path, fingerprintSeen, kind });
export const saveRejectedRows = (kind, path, target) => call("save_rejected_rows", { path, target, kind });

/** Asks for a CSV file to read; resolves to its path, or null if the person cancelled. */
export const chooseCsvFile = (title = "Choose the register file") =>
  call("plugin:dialog|open", {
    options: {
      title,
      multiple: false,
      directory: false,
      filters: [{ name: "CSV files", extensions: ["csv", "CSV", "txt"] }],
    },
  });

/** Asks where to save a file; resolves to a path, or null if the person cancelled. */
export const chooseSaveTarget = (suggestedName, title = "Save the rejected rows", filter = { name: "CSV files", extensions: ["csv"] }) =>
  call("plugin:dialog|save", {
    options: {
      title,
      defaultPath: suggestedName,
      filters: [filter],
    },
  });

export const recallList = (request) => call("recall_list", { request });
export const prepareInvitationBatch = (month, target) => call("prepare_invitation_batch", { month, target });
export const confirmInvitationBatch = (batch) => call("confirm_invitation_batch", { batch });
export const cancelInvitationBatch = (batch) => call("cancel_invitation_batch", { batch });
export const openInvitationBatch = (batch) => call("open_invitation_batch", { batch });
export const getReview = (nhsNumber) => call("get_review", { nhsNumber });
export const recordReviewAction = (nhsNumber, month, action) =>
  call("record_review_action", { nhsNumber, month, action });
export const setReviewMonth = (nhsNumber, month) => call("set_review_month", { nhsNumber, month });
export const getSettings = () => call("get_settings");
export const saveSettings = (settings) => call("save_settings", { settings });

/** Asks where to save a PDF; resolves to a path, or null if the person cancelled. */
export const choosePdfTarget = (suggestedName) =>
  call("plugin:dialog|save", {
    options: {
      title: "Save the letters",
      defaultPath: suggestedName,
      filters: [{ name: "PDF files", extensions: ["pdf"] }],
    },
  });
export const setLogo = (path) => call("set_logo", { path });
export const packsList = () => call("packs_list");
export const printPacks = (cycles, target) => call("print_packs", { cycles, target });
export const confirmPacks = (batch) => call("confirm_packs", { batch });
export const cancelPacks = (batch) => call("cancel_packs", { batch });
export const openPackBatch = (batch) => call("open_pack_batch", { batch });
export const reprintPack = (nhsNumber, target) => call("reprint_pack", { nhsNumber, target });

/** Asks for a PNG image; resolves to its path, or null if the person cancelled. */
export const choosePngFile = () =>
  call("plugin:dialog|open", {
    options: {
      title: "Choose the practice logo",
      multiple: false,
      directory: false,
      filters: [{ name: "PNG images", extensions: ["png", "PNG"] }],
    },
  });

export const clinicDay = (date) => call("clinic_day", { date });
export const getChecklist = (nhsNumber) => call("get_checklist", { nhsNumber });
export const recordValue = (nhsNumber, entry) => call("record_value_now", { nhsNumber, entry });
export const markNotDone = (nhsNumber, items, reason, note) =>
  call("mark_items_not_done", { nhsNumber, items, reason, note });
export const correctValue = (nhsNumber, observation, entry, reason) =>
  call("correct_value", { nhsNumber, observation, entry, reason });
export const finishAppointment = (nhsNumber) => call("finish_appointment", { nhsNumber });

export const triageWorklist = (all = false) => call("triage_worklist", { all });
export const getTriage = (nhsNumber) => call("get_triage", { nhsNumber });
export const acknowledgeFinding = (nhsNumber, request) => call("acknowledge_finding", { nhsNumber, request });
/** `request.kind` is "route", "medication_review", "note", "personal_target" or "approve". */
export const recordTriage = (nhsNumber, request) => call("record_triage", { nhsNumber, request });
export const listRules = () => call("list_rules");
/** Without `thresholds`, the shipped thresholds come back. */
export const changeRule = (rule, thresholds, reason) => call("change_rule", { rule, thresholds, reason });

export const getConversation = (nhsNumber) => call("get_conversation", { nhsNumber });
export const startPlan = (nhsNumber) => call("start_plan", { nhsNumber });
export const savePlan = (draft, revision, plan) => call("save_plan", { draft, revision, plan });
export const agreePlan = (nhsNumber, draft, revision, agreement) =>
  call("agree_plan", { nhsNumber, draft, revision, agreement });
export const declineConversation = (nhsNumber, reason) => call("decline_conversation", { nhsNumber, reason });
export const setAsidePlan = (nhsNumber, draft, why) => call("set_aside_plan", { nhsNumber, draft, why });
export const printPlan = (nhsNumber, version = null) => call("print_plan", { nhsNumber, version });
export const exportPlanFhir = (nhsNumber, version, target) => call("export_plan_fhir", { nhsNumber, version, target });
export const searchDirectory = (query, includeRetired = false) => call("search_directory", { query, includeRetired });
export const saveService = (id, fields) => call("save_service", { id, fields });
export const retireService = (id) => call("retire_service", { id });
export const importDirectory = (path) => call("import_directory", { path });
export const exportDirectory = (target) => call("export_directory", { target });

export const backupStatus = () => call("backup_status");
/** Without a passphrase the backup is not encrypted. */
export const makeBackup = (target, passphrase = null) => call("make_backup", { target, passphrase });
export const checkBackup = (path, passphrase = null) => call("check_backup_file", { path, passphrase });
export const restoreBackup = (path, passphrase = null) => call("restore_backup", { path, passphrase });

/** Asks where to save a backup; resolves to a path, or null if the person cancelled. */
export const chooseBackupTarget = (suggestedPath) =>
  call("plugin:dialog|save", {
    options: {
      title: "Save the backup",
      defaultPath: suggestedPath,
      filters: [{ name: "Alongside backups", extensions: ["alongside-backup"] }],
    },
  });

/** Asks for a backup file to restore; resolves to its path, or null if the person cancelled. */
export const chooseBackupFile = () =>
  call("plugin:dialog|open", {
    options: {
      title: "Choose the backup to restore",
      multiple: false,
      directory: false,
      filters: [
        { name: "Alongside backups", extensions: ["alongside-backup"] },
        { name: "All files", extensions: ["*"] },
      ],
    },
  });

// The Reports screen: the practice's figures for a range of dates (YYYY-MM-DD, both included).
export const report = (from, to) => call("report", { from, to });
/** `group` is "all", "single", "multiple" or "frailty"; `figure` a key of the report. */
export const reportPeople = (from, to, group, figure) => call("report_people", { from, to, group, figure });
export const exportReportFigures = (from, to, path) => call("export_report_figures", { from, to, path });
export const exportReportRows = (from, to, path) => call("export_report_rows", { from, to, path });
export const exportReportPdf = (from, to, path) => call("export_report_pdf", { from, to, path });

// Patient feedback forms, entered from paper.
export const feedbackFor = (nhsNumber) => call("feedback_for", { nhsNumber });
/** `entry`: `{ year, completedOn, collaborate: [3], care: [10], replaces?, reason? }`. */
export const enterFeedback = (nhsNumber, entry) => call("enter_feedback", { nhsNumber, entry });

// Staff accounts and the locked screen.
export const sessionState = () => call("session_state");
export const signIn = (username, password) => call("sign_in", { username, password });
export const createFirstAdministrator = (username, name, password) =>
  call("create_first_administrator", { username, name, password });
export const lockScreen = () => call("lock_screen");
export const signOut = () => call("sign_out");
export const keepAlive = () => call("keep_alive");
export const changeMyPassword = (current, password) => call("change_my_password", { current, password });

// The Staff accounts screen (administrators).
export const listAccounts = () => call("list_accounts");
export const addStaffAccount = (username, name, roleId, password) =>
  call("add_staff_account", { username, name, roleId, password });
export const setStaffRole = (username, roleId) => call("set_staff_role", { username, roleId });
export const setStaffActive = (username, active) => call("set_staff_active", { username, active });
export const setStaffPassword = (username, password) => call("set_staff_password", { username, password });

// The Audit screen (administrators). `filter`: { nhs_number, user, action, from, to }, any empty.
export const auditTrail = (filter, offset = 0) => call("audit_trail", { filter, offset });
export const auditChoices = () => call("audit_choices");
export const exportAuditTrail = (filter, path) => call("export_audit_trail", { filter, path });
export const verifyAuditTrail = () => call("verify_audit_trail");
