interface ImportMetaEnv {
  /** Default reporting endpoint embedded at build time (see README "Configuring an endpoint"). */
  readonly WXT_DEFAULT_ENDPOINT?: string;
  /** Default access token embedded at build time; only `npm start` sets it, for its local Desk. */
  readonly WXT_DEFAULT_TOKEN?: string;
}
