/** The notifiers table (migration '0003_notifiers'), kept apart so tables.ts changes in one line. */
export interface NotifierTable {
  id: string;
  /** `dingtalk`, `wecom` or `feishu` (contract `NotifierKind`). */
  kind: string;
  name: string;
  /** The full webhook URL, its token included (the robot's only credential besides `secret`). */
  webhook_url: string;
  /** DingTalk `SEC…` / Feishu signing secret, or null when the robot does not sign. */
  secret: string | null;
  created_at: string;
  last_sent_at: string | null;
  last_error: string | null;
  /**
   * The digest cursor: the newest report (received_at, id) a digest has covered. Reports after it
   * are new to this robot. Starts at the notifier's creation, so a new robot does not get history.
   */
  digest_after_at: string;
  digest_after_id: string;
}

export interface NotifierTables {
  notifiers: NotifierTable;
}
