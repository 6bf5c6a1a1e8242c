import type { Translate } from './i18n';
import type { DeliveryError } from './schema/record';

/** A delivery problem in words a parent can act on. */
export function describeDeliveryError(t: Translate, error: DeliveryError): string {
  switch (error.kind) {
    case 'network':
      return t('delivery_network');
    case 'timeout':
      return t('delivery_timeout');
    case 'http':
      return error.detail ? `${t('delivery_http', error.status ?? 0)} ${error.detail}` : t('delivery_http', error.status ?? 0);
    case 'rejected':
      return t('delivery_rejected', error.detail ?? '');
    case 'unconfirmed':
      return t('delivery_unconfirmed');
    case 'no-endpoint':
      return t('delivery_noEndpoint');
    case 'cors':
      return t('delivery_cors');
    case 'gone':
      return t('delivery_gone');
    case 'expired':
      return t('delivery_expired', error.detail ?? '');
    case 'redirect':
      return t('delivery_redirect');
    case 'clock':
      return t('delivery_clock');
    case 'signing':
      return t('delivery_signing');
  }
}
