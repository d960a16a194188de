import { render } from 'preact'
import { ErrorBoundary, LocationProvider, lazy, Route, Router } from 'preact-iso'
import { loadMe, loadSettings } from './api.ts'
import { Layout } from './components/Layout.tsx'
import { lang, setLang, t } from './i18n.ts'
import { useStore } from './store.ts'
import './styles.css'

const CalendarPage = lazy(() => import('./public/CalendarPage.tsx'))
const SitesPage = lazy(() => import('./public/SitesPage.tsx'))
const SitePage = lazy(() => import('./public/SitePage.tsx'))
const PilotsPage = lazy(() => import('./public/PilotsPage.tsx'))
const PilotPage = lazy(() => import('./public/PilotPage.tsx'))
const SignInPage = lazy(() => import('./company/SignInPage.tsx'))
const RegisterPage = lazy(() => import('./company/RegisterPage.tsx'))
const MyPilotsPage = lazy(() => import('./company/MyPilotsPage.tsx'))
const NewPilotPage = lazy(() => import('./company/NewPilotPage.tsx'))
const MyPilotPage = lazy(() => import('./company/MyPilotPage.tsx'))
const RequestSlotPage = lazy(() => import('./company/RequestSlotPage.tsx'))
const FindTimePage = lazy(() => import('./company/FindTimePage.tsx'))
const ReviewQueuePage = lazy(() => import('./official/ReviewQueuePage.tsx'))
const AdminPage = lazy(() => import('./admin/AdminPage.tsx'))
const MapPage = lazy(() => import('./public/MapPage.tsx'))
const ReportsPage = lazy(() => import('./official/ReportsPage.tsx'))
const ClosuresPage = lazy(() => import('./official/ClosuresPage.tsx'))
const PilotFollowUpPage = lazy(() => import('./official/PilotFollowUpPage.tsx'))
const AccountPage = lazy(() => import('./account/AccountPage.tsx'))

function NotFound() {
  return <h1>{t('notFound')}</h1>
}

function App() {
  const current = useStore(lang)
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Layout>
          {/* Remounting on a language change redraws calendars and lists in the new language. */}
          <Router key={current}>
            <Route path="/" component={CalendarPage} />
            <Route path="/sites" component={SitesPage} />
            <Route path="/sites/:id" component={SitePage} />
            <Route path="/pilots" component={PilotsPage} />
            <Route path="/pilots/:id" component={PilotPage} />
            <Route path="/signin" component={SignInPage} />
            <Route path="/register" component={RegisterPage} />
            <Route path="/my" component={MyPilotsPage} />
            <Route path="/my/pilots/new" component={NewPilotPage} />
            <Route path="/my/pilots/:id" component={MyPilotPage} />
            <Route path="/my/pilots/:id/request" component={RequestSlotPage} />
            <Route path="/find-time" component={FindTimePage} />
            <Route path="/review" component={ReviewQueuePage} />
            <Route path="/admin/:section?" component={AdminPage} />
            <Route path="/map" component={MapPage} />
            <Route path="/reports" component={ReportsPage} />
            <Route path="/account" component={AccountPage} />
            <Route path="/closures" component={ClosuresPage} />
            <Route path="/follow-up" component={PilotFollowUpPage} />
            <Route default component={NotFound} />
          </Router>
        </Layout>
      </ErrorBoundary>
    </LocationProvider>
  )
}

setLang(lang.value)
await Promise.all([loadSettings().catch(() => undefined), loadMe()])
const root = document.getElementById('app')
if (root) render(<App />, root)
