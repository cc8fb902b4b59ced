// Who is signed in, for screens that show only what the signed-in user's role may do. The
// core checks every command itself; this only keeps the screens from offering what it refuses.

let current = null;

export function setSession(session) {
  current = session;
}

/** Whether the signed-in user's role has the permission, such as "settings.manage". */
export const may = (permission) => Boolean(current?.permissions?.includes(permission));

/** The signed-in user's username, or null. */
export const username = () => current?.user?.username ?? null;
