import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { SessionProvider } from './auth/session.tsx';
import { labelFontsReady } from './map/fonts.ts';
import './styles.css';

// Start loading the label fonts at once; only the map's label layers wait for them, nothing else does.
void labelFontsReady();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
