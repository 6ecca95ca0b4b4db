// Same person, same colour: on the timeline, in the participants lists and the legends.

/** How many distinct colours there are (`.who-0` … `.who-9` in styles.css). */
export const COLOURS = 10;

/** A colour index per person, in order of first appearance, so the first ten people never share one. */
export function personColours(ids: Iterable<string>): (userId: string) => number {
  const order = new Map<string, number>();
  for (const id of ids) if (!order.has(id)) order.set(id, order.size);
  return (userId) => {
    let i = order.get(userId);
    if (i === undefined) {
      i = order.size;
      order.set(userId, i);
    }
    return i % COLOURS;
  };
}
