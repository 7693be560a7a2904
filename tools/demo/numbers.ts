import { StayPermitKind } from '../../subgraphs/immigration/enums';
import { romanMonth, yearOf } from './dates';
import { IMMIGRATION_OFFICES } from './places';

const OFFICE_CODES: Readonly<Record<string, string>> = {
  [IMMIGRATION_OFFICES.PONTIANAK]: 'PTK',
  [IMMIGRATION_OFFICES.SINGKAWANG]: 'SKW',
  [IMMIGRATION_OFFICES.KETAPANG]: 'KTP',
  [IMMIGRATION_OFFICES.SANGGAU]: 'SGU',
  [IMMIGRATION_OFFICES.ENTIKONG]: 'ETK',
  [IMMIGRATION_OFFICES.PUTUSSIBAU]: 'PSB',
};

const KIND_CODES: Readonly<Record<StayPermitKind, string>> = {
  [StayPermitKind.VISIT]: 'ITK',
  [StayPermitKind.LIMITED]: 'ITAS',
  [StayPermitKind.PERMANENT]: 'ITAP',
  [StayPermitKind.DIPLOMATIC]: 'ITD',
  [StayPermitKind.SERVICE]: 'ITDN',
};

/**
 * Register numbers as each agency issues them: a running serial per office (or unit) and year.
 * Serials are handed out in person order, so the numbers are unique and the same on every run;
 * the counters are a few hundred keys whatever the run size.
 */
export class RecordNumbers {
  private readonly counters = new Map<string, number>();

  /** `step` > 1 leaves room for the records of people outside this data set (Indonesians, other provinces). */
  private next(key: string, step = 1): number {
    const value = (this.counters.get(key) ?? 0) + step;
    this.counters.set(key, value);
    return value;
  }

  /** e.g. ITAS.KTP.2024.000123 */
  stayPermit(kind: StayPermitKind, office: string, issuedOn: string): string {
    const prefix = `${KIND_CODES[kind]}.${OFFICE_CODES[office] ?? 'KLB'}.${yearOf(issuedOn)}`;
    return `${prefix}.${String(this.next(prefix)).padStart(6, '0')}`;
  }

  /** e.g. RPTKA/004512/PPTKA/VI/2025 (Kemnaker's national approval register, numbered per year) */
  rptka(approvedOn: string, step: number): string {
    const serial = String(this.next(`RPTKA:${yearOf(approvedOn)}`, step)).padStart(6, '0');
    return `RPTKA/${serial}/PPTKA/${romanMonth(approvedOn)}/${yearOf(approvedOn)}`;
  }

  /** e.g. LP/B/123/VI/2025/SPKT/POLRES KETAPANG: one register per unit and year for both models. */
  policeReport(model: string, unit: string, occurredOn: string, step: number): string {
    const serial = this.next(`LP:${unit}:${yearOf(occurredOn)}`, step);
    return `LP/${model}/${serial}/${romanMonth(occurredOn)}/${yearOf(occurredOn)}/SPKT/${unit.toUpperCase()}`;
  }

  /** e.g. APOA/6106/2025/0001234 (lodging report register per regency and year) */
  presenceRegistration(regencyCode: string, checkIn: string): string {
    const prefix = `APOA/61${regencyCode}/${yearOf(checkIn)}`;
    return `${prefix}/${String(this.next(prefix)).padStart(7, '0')}`;
  }
}
