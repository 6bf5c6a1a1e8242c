interface ImportMetaEnv {
  /** Default reporting endpoint embedded at build time (see README "Configuring an endpoint"). */
  readonly WXT_DEFAULT_ENDPOINT?: string;
}
