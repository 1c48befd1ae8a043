export function App() {
  return <main id="visitor-lab">Visitor Lab</main>;
}
