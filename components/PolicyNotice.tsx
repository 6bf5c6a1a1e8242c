import type { MessageKey } from '@/utils/i18n';
import { useT } from '@/utils/ui/i18n';
import type { PolicyView } from '@/utils/policy';

/**
 * On the settings page: who manages this browser, and — addressed to the IT administrator —
 * which policy values were ignored and why. Pupils see it too, so it says whom to show it to.
 */
export function PolicyNotice({ policy }: { policy: PolicyView }) {
  const t = useT();
  if (!policy.managed && policy.problems.length === 0) return null;
  return (
    <>
      {policy.managed && (
        <section class="notice managed" aria-labelledby="managed-heading">
          <h2 id="managed-heading">{policy.organizationName ? t('policy_managedBy', policy.organizationName) : t('policy_managedByOrganization')}</h2>
          <p>{t('policy_managedExplain')}</p>
          {policy.supportUrl && <SupportLink url={policy.supportUrl} />}
        </section>
      )}
      {policy.problems.length > 0 && (
        <section class="notice admin-problems" role="alert" aria-labelledby="policy-problems-heading">
          <h2 id="policy-problems-heading">{t('policy_problems_heading')}</h2>
          <p>{t('policy_problems_explain')}</p>
          <ul>
            {policy.problems.map((problem, index) => (
              <li key={index}>
                <code>{problem.path ? `${problem.key}.${problem.path}` : problem.key}</code>: {t(problem.message as MessageKey)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** The organisation's help link (https or mailto only: checked when the policy was read). */
export function SupportLink({ url }: { url: string }) {
  const t = useT();
  return (
    <p>
      <a href={url} target="_blank" rel="noopener noreferrer">
        {t('policy_support')}
      </a>
    </p>
  );
}
