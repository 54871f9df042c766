// LOCAL ONLY (not committed): P1 owns this page; this shows P2's components for screenshots.
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, call } from '../api/client';
import { ItemActions } from '../components/ItemActions';
import { ItemReviewPanel } from '../components/ItemReviewPanel';
export default function ItemPage() {
  const { id = '' } = useParams();
  const item = useQuery({
    queryKey: ['item', id],
    queryFn: () => call(api.GET('/api/v1/items/{id}', { params: { path: { id } } })),
  });
  if (!item.data) return null;
  return (
    <>
      <h1 className="page-title">{item.data.title}</h1>
      <p>
        状态：{item.data.statusName}；完成率 {item.data.figures?.completion}
      </p>
      <ItemReviewPanel item={item.data} />
      <ItemActions item={item.data} />
    </>
  );
}
