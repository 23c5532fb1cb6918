import { addConsoleMessages } from './index';

// Imported by the console pages only: their strings stay out of the wallet's bundle.
addConsoleMessages(
  import.meta.glob<Record<string, unknown>>('./*/consoles.json', { eager: true, import: 'default' }),
);
