/**
 * A bounded set of recently seen keys (event ids, channel+ts). `claim` returns true the first
 * time a key is seen and false after, until it is pushed out by `capacity` newer keys.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly capacity = 10_000) {}

  claim(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.claim(key);
  }
}
