import { addDays, daysBetween } from '../subgraphs/shared/clock';
import { CrossingDirection, PermitStatus, RecordedPermitStatus } from '../subgraphs/immigration/enums';
import { BorderCrossing } from '../subgraphs/immigration/entities/border-crossing';
import { StayPermit } from '../subgraphs/immigration/entities/stay-permit';
import { currentPermit, isInCountry, overstayDays, permitStatus } from '../subgraphs/immigration/rules';
import { nameKey } from '../subgraphs/shared/text';

const permit = (validFrom: string, validUntil: string, recordedStatus = RecordedPermitStatus.ACTIVE) =>
  ({ validFrom, validUntil, recordedStatus }) as StayPermit;
const crossing = (direction: CrossingDirection, crossedAt: string) => ({ direction, crossedAt }) as BorderCrossing;

describe('date rules are derived for the injected "today"', () => {
  const itas = permit('2025-01-01', '2025-06-30');

  it('gives a permit ACTIVE, NOT_YET_VALID or EXPIRED by date, and keeps recorded cancellations', () => {
    expect(permitStatus(itas, '2024-12-31')).toBe(PermitStatus.NOT_YET_VALID);
    expect(permitStatus(itas, '2025-01-01')).toBe(PermitStatus.ACTIVE);
    expect(permitStatus(itas, '2025-06-30')).toBe(PermitStatus.ACTIVE);
    expect(permitStatus(itas, '2025-07-01')).toBe(PermitStatus.EXPIRED);
    expect(permitStatus(permit('2025-01-01', '2025-06-30', RecordedPermitStatus.CANCELLED), '2025-03-01')).toBe(
      PermitStatus.CANCELLED,
    );
  });

  it('counts overstay days from the day after the last permit ended, only while in the country', () => {
    const entered = [crossing(CrossingDirection.ENTRY, '2025-01-02T01:00:00.000Z')];
    expect(overstayDays([itas], isInCountry(entered), '2025-06-30')).toBe(0);
    expect(overstayDays([itas], isInCountry(entered), '2025-07-01')).toBe(1);
    expect(overstayDays([itas], isInCountry(entered), addDays('2025-06-30', 61))).toBe(61);
    const left = [...entered, crossing(CrossingDirection.EXIT, '2025-06-29T01:00:00.000Z')];
    expect(isInCountry(left)).toBe(false);
    expect(overstayDays([itas], isInCountry(left), '2025-08-01')).toBe(0);
  });

  it('takes the active permit that runs longest as the current one', () => {
    const renewed = permit('2025-06-01', '2026-05-31');
    expect(currentPermit([itas, renewed], '2025-06-15')).toBe(renewed);
    expect(currentPermit([itas], '2025-07-15')).toBeNull();
    expect(daysBetween('2025-06-30', '2025-07-01')).toBe(1);
  });

  it('compares names without case, accents or punctuation', () => {
    expect(nameKey('Nguyễn  Văn-AN')).toBe('nguyen van an');
  });
});
