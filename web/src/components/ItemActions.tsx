import type { Schemas } from '../api/client';

// Stub until helper P2's component lands (the merge takes P2's file): 填报 / 申请延期 / 申请销号 buttons.
export function ItemActions(_props: { item: Schemas['ItemDto'] }) {
  return null;
}
