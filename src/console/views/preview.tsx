import { formatNumber } from '../i18n';
import type { Translate } from '../i18n';

export interface RenderedText {
  locale: string;
  title: string;
  body: string;
  sms: string;
  smsCharacters: number;
  smsSegments: number;
  smsEncoding: string;
  /** What was left out of the SMS to fit its segment limit. */
  smsDropped: string[];
}

export interface PreviewModel {
  audience: { total: number; push: number; smsOnly: number; unreachable: number; stale: boolean } | null;
  texts: RenderedText[];
  threshold: number;
  /** From the preview's totals: SMS segments to send, their cost (null when no price is set), customers held now. */
  smsSegments: number;
  estimatedCost: number | null;
  heldByQuietHours: number;
}

export function Texts({ t, texts }: { t: Translate; texts: RenderedText[] }) {
  return (
    <>
      {texts.map((x) => (
        <div class="text-preview" data-locale={x.locale}>
          <h3 class="small" style="margin:.8rem 0 .2rem">
            {x.locale}
          </h3>
          <div class="small muted">
            {t('preview.pushTitle')} · {t('preview.characters', { n: x.title.length })}
          </div>
          <div class="notice-text">{x.title}</div>
          <div class="small muted">
            {t('preview.pushBody')} · {t('preview.characters', { n: x.body.length })}
          </div>
          <div class="notice-text">{x.body}</div>
          <div class="small muted">
            {t('preview.sms')} · {t('preview.characters', { n: x.smsCharacters })} ·{' '}
            <span class="segments">
              {t('preview.segments', { n: x.smsSegments, encoding: x.smsEncoding })}
            </span>
          </div>
          <div class="notice-text">{x.sms}</div>
          {x.smsDropped.length ? (
            <div class="small muted">{t('preview.dropped', { parts: x.smsDropped.join(', ') })}</div>
          ) : null}
        </div>
      ))}
    </>
  );
}

export function PreviewFragment({
  t,
  model,
  problems,
}: {
  t: Translate;
  model: PreviewModel | null;
  problems?: { field: string; reason: string }[];
}) {
  if (!model) {
    return (
      <div class="alert warn">
        <strong>{t('preview.invalid')}:</strong>
        <ul class="small">
          {problems?.map((p) => (
            <li>
              <code>{p.field}</code> {p.reason}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const { audience, threshold } = model;
  const lang = t.lang;
  return (
    <div id="preview-result">
      {audience ? (
        audience.stale ? (
          <div class="alert warn">{t('preview.stale')}</div>
        ) : (
          <>
            <h3 style="margin:.2rem 0">{t('preview.audience')}</h3>
            <p>
              <span class="percent" data-testid="audience-total">
                {formatNumber(audience.total, lang)}
              </span>{' '}
              {t('preview.recipients')}
            </p>
            <ul class="small">
              <li>
                {formatNumber(audience.push, lang)} {t('preview.push')}
              </li>
              <li>
                {formatNumber(audience.smsOnly, lang)} {t('preview.smsOnly')}
              </li>
              <li>
                {formatNumber(audience.unreachable, lang)} {t('preview.unreachable')}
              </li>
              <li>{t('preview.smsEstimate', { n: model.smsSegments })}</li>
              {model.estimatedCost === null ? null : (
                <li data-testid="estimated-cost">
                  {t('preview.smsCost', { cost: formatNumber(model.estimatedCost, lang) })}
                </li>
              )}
              {model.heldByQuietHours ? (
                <li data-testid="held-by-quiet-hours">
                  {t('preview.heldByQuietHours', { n: model.heldByQuietHours })}
                </li>
              ) : null}
            </ul>
            {audience.total > threshold ? (
              <div class="alert warn" data-testid="needs-approval">
                {t('preview.needsApproval', { threshold: formatNumber(threshold, lang) })}
              </div>
            ) : (
              <div class="alert ok">
                {t('preview.noApproval', { threshold: formatNumber(threshold, lang) })}
              </div>
            )}
          </>
        )
      ) : null}
      <h3 style="margin:.8rem 0 .2rem">{t('preview.texts')}</h3>
      <Texts t={t} texts={model.texts} />
    </div>
  );
}
