import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translate, type Translate } from '../i18n';

/**
 * The translator for pages (Preact). Kept apart from utils/i18n.ts so the service worker, which
 * translates too, never bundles Preact.
 */
export const I18nContext = createContext<Translate>(translate);
export const useT = () => useContext(I18nContext);
