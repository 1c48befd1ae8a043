// An event's categories (the names the companion labelled it with at intake, GWE's Simple
// Engagement Model), one chip each: the stored `category` holds them joined by semicolons.

export function categoryNames(category: string | null | undefined): string[] {
  return (category ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

export function Categories({ category }: { category: string | null | undefined }) {
  const names = categoryNames(category);
  if (names.length === 0) return null;
  return (
    <ul class="categories" aria-label={`Categories: ${names.join(', ')}`}>
      {names.map((name) => (
        <li key={name} class="category">
          {/* The tag sign says "category" beside the colour, and is not read out twice. */}
          <span aria-hidden="true">#</span>
          {name}
        </li>
      ))}
    </ul>
  );
}
