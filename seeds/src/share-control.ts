/**
 * Keeps a running share (idle land by area, vacant floor space by area) near a target while items
 * stream past, without ever seeing them all at once: a random pick, overridden when the running share
 * drifts more than `band` away from the target. For any zone size and seed the final share therefore
 * lands within about ±band of the target, which a plain coin flip per item cannot promise for a
 * small zone of a few hundred parcels.
 */
export class ShareControl {
  private total = 0;
  private chosen = 0;

  constructor(
    readonly target: number,
    readonly band: number,
  ) {}

  /** Counts an item of `size` and says whether it is chosen; `forced` items are always chosen. */
  decide(size: number, wanted: boolean, eligible = true, forced = false): boolean {
    this.total += size;
    let pick: boolean;
    if (forced) pick = true;
    else if (!eligible) pick = false;
    else if (this.chosen / this.total < this.target - this.band) pick = true;
    else if ((this.chosen + size) / this.total > this.target + this.band) pick = false;
    else pick = wanted;
    if (pick) this.chosen += size;
    return pick;
  }

  get share(): number {
    return this.total > 0 ? this.chosen / this.total : 0;
  }
}
