/** Previous / next over pages numbered from 1, with where one is. */
export function Pager(props: { page: number; pages: number; total: number; onPage: (page: number) => void }) {
  const { page, pages, total, onPage } = props;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span data-testid="page-of">
        page {page} of {pages} ({total} in all)
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
