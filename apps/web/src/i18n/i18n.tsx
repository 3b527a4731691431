import { createContext, useContext, type ReactNode } from 'react';
import { attributeLabels, messages, type Lang, type MessageKey } from './messages.ts';

export interface I18n {
  lang: Lang;
  t: (key: MessageKey) => string;
  /** An attribute's label; its API name when there is none. */
  attr: (name: string) => string;
  /** A number in the language's format. */
  num: (n: number, digits?: number) => string;
}

export function makeI18n(lang: Lang): I18n {
  const dict = messages[lang];
  const format = new Map<number, Intl.NumberFormat>();
  return {
    lang,
    t: (key) => dict[key],
    attr: (name) => attributeLabels[lang][name] ?? name,
    num: (n, digits = 2) => {
      let f = format.get(digits);
      if (!f) format.set(digits, (f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits })));
      return f.format(n);
    },
  };
}

const I18nContext = createContext<I18n>(makeI18n('zh'));

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  return <I18nContext.Provider value={makeI18n(lang)}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
