/** Types of scripts/desk-ui.mjs (plain JavaScript: scripts/desk.mjs runs it before anything is compiled). */
export declare const DESK_UI_DIR: string;
/** Builds the Desk's web interface into .output/desk-ui unless it is there and newer than its sources. */
export declare function ensureDeskUi(): Promise<void>;
