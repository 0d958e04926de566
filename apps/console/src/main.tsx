import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { AuthProvider, useAuth } from './auth';
import { I18nProvider } from './i18n';
import { Dashboard } from './screens/analysis/Dashboard';
import { DepartmentReportPage } from './screens/analysis/DepartmentReportPage';
import { Contacts } from './screens/Contacts';
import { History } from './screens/History';
import { Home } from './screens/Home';
import { Intake } from './screens/Intake';
import { Layout } from './screens/Layout';
import { QueuePage } from './screens/QueuePage';
import { SearchPage } from './screens/SearchPage';
import { SignIn } from './screens/SignIn';
import { TicketRoute } from './screens/TicketPage';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (403, 404) is an answer, not a glitch: no retries for it.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      staleTime: 2_000,
    },
  },
});

function Routed() {
  const { user } = useAuth();
  if (!user) return <SignIn />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="intake" element={<Intake />} />
        <Route path="contacts" element={<Contacts />} />
        <Route path="analysis" element={<Dashboard />} />
        <Route path="analysis/departments/:id" element={<DepartmentReportPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="search/:number" element={<SearchPage />} />
        <Route path="queues/:queue" element={<QueuePage />} />
        <Route path="queues/:queue/:number" element={<QueuePage />} />
        <Route path="tickets/:number" element={<TicketRoute />} />
        <Route path="tickets/:number/history" element={<History />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AuthProvider>
          <BrowserRouter basename="/console">
            <Routed />
          </BrowserRouter>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
