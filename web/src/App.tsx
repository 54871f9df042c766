import { lazy } from 'react';
import { Route, Routes } from 'react-router';

import { RequireAuth, SessionWatcher } from './auth/auth';
import { AppLayout } from './layout/AppLayout';

// Every page is its own chunk: the first load carries the shell and the login page only.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const TasksPage = lazy(() => import('./pages/TasksPage'));
const ItemPage = lazy(() => import('./pages/ItemPage'));
const ReportPage = lazy(() => import('./pages/ReportPage'));
const ReviewsPage = lazy(() => import('./pages/ReviewsPage'));
const MessagesPage = lazy(() => import('./pages/MessagesPage'));
const PlanOverviewPage = lazy(() => import('./pages/PlanOverviewPage'));
const LeaderPage = lazy(() => import('./pages/LeaderPage'));
const RankingPage = lazy(() => import('./pages/RankingPage'));
const DispatchPage = lazy(() => import('./pages/DispatchPage'));
const ImportPage = lazy(() => import('./pages/ImportPage'));
const DraftsPage = lazy(() => import('./pages/drafts/DraftsPage'));
const DraftReviewPage = lazy(() => import('./pages/drafts/DraftReviewPage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** Routes. `/items/:id` is the page every message and export links to (APP_URL/items/<id>). */
export function App() {
  return (
    <>
      <SessionWatcher />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="tasks" element={<TasksPage />} />
          <Route path="items/:id" element={<ItemPage />} />
          <Route path="items/:id/report/:period" element={<ReportPage />} />
          <Route path="reviews" element={<ReviewsPage />} />
          <Route path="messages" element={<MessagesPage />} />
          <Route path="plan" element={<PlanOverviewPage />} />
          <Route path="leader" element={<LeaderPage />} />
          <Route path="ranking" element={<RankingPage />} />
          <Route path="dispatch" element={<DispatchPage />} />
          <Route path="import" element={<ImportPage />} />
          <Route path="drafts" element={<DraftsPage />} />
          <Route path="drafts/:id" element={<DraftReviewPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
