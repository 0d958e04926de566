import { Navigate } from 'react-router';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useQueues } from '../queries';

/** Where a role starts its day: agents at intake, experts at their own tasks, everyone else at their first queue. */
export function Home() {
  const { has } = useAuth();
  const { t } = useI18n();
  const queues = useQueues();
  if (has('AGENT') && !has('COORDINATOR')) return <Navigate to="/intake" replace />;
  if (queues.isPending) return <p>{t('loading')}</p>;
  const names = queues.data?.queues.map((q) => q.queue) ?? [];
  const first = names.includes('mine') ? { queue: 'mine' } : queues.data?.queues[0];
  if (first) return <Navigate to={`/queues/${first.queue}`} replace />;
  return <Navigate to={has('AUDITOR') ? '/contacts' : '/intake'} replace />;
}
