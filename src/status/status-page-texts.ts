import type { ChannelStatus, EventType, IncidentStatus } from '../database/schema';

/** The words of the status page around the bank's own texts, per locale. */
export interface StatusPageTexts {
  pageTitle: string;
  allClear: string;
  updatedAt: string;
  languages: string;
  incidentStatus: Record<IncidentStatus, string>;
  channelStatus: Record<ChannelStatus, string>;
  updateType: Record<EventType, string>;
  affectedServices: string;
  since: string;
  resolvedAt: string;
  nextUpdate: string;
  updates: string;
  reference: string;
  footer: string;
}

const TEXTS: Record<string, StatusPageTexts> = {
  'es-CO': {
    pageTitle: 'Estado de nuestros servicios',
    allClear: 'Todos nuestros servicios funcionan con normalidad.',
    updatedAt: 'Actualizado',
    languages: 'Idioma',
    incidentStatus: { open: 'En curso', resolved: 'Resuelto' },
    channelStatus: { down: 'Sin servicio', degraded: 'Con fallas', restored: 'Restablecido' },
    updateType: { opened: 'Falla detectada', updated: 'Actualización', resolved: 'Resuelto' },
    affectedServices: 'Servicios afectados',
    since: 'Desde',
    resolvedAt: 'Resuelto',
    nextUpdate: 'Próxima actualización',
    updates: 'Actualizaciones',
    reference: 'Referencia',
    footer: 'Esta página se actualiza con cada novedad.',
  },
  en: {
    pageTitle: 'Status of our services',
    allClear: 'All our services are working normally.',
    updatedAt: 'Updated',
    languages: 'Language',
    incidentStatus: { open: 'Ongoing', resolved: 'Resolved' },
    channelStatus: { down: 'Down', degraded: 'Degraded', restored: 'Restored' },
    updateType: { opened: 'Problem found', updated: 'Update', resolved: 'Resolved' },
    affectedServices: 'Affected services',
    since: 'Since',
    resolvedAt: 'Resolved',
    nextUpdate: 'Next update',
    updates: 'Updates',
    reference: 'Reference',
    footer: 'This page is updated with every change.',
  },
};

/** The locale's words, else the default locale's, else English. */
export function statusPageTexts(locale: string, defaultLocale: string): StatusPageTexts {
  return TEXTS[locale] ?? TEXTS[defaultLocale] ?? TEXTS.en;
}

/** Names of the languages in themselves, for the language links. */
export function languageName(locale: string): string {
  return new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
}
