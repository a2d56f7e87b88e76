/** TLP marking ids the console names (TLP 2.0 and 1.0), so lists show "TLP:GREEN" not an id. */
export const TLP_MARKINGS: readonly { id: string; name: string; tlp: '1.0' | '2.0' }[] = [
  { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', name: 'TLP:CLEAR', tlp: '2.0' },
  { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', name: 'TLP:GREEN', tlp: '2.0' },
  { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER', tlp: '2.0' },
  { id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', name: 'TLP:AMBER+STRICT', tlp: '2.0' },
  { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED', tlp: '2.0' },
  { id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', name: 'TLP:WHITE', tlp: '1.0' },
  { id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', name: 'TLP:GREEN', tlp: '1.0' },
  { id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', name: 'TLP:AMBER', tlp: '1.0' },
  { id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', name: 'TLP:RED', tlp: '1.0' },
];

const BY_ID = new Map(TLP_MARKINGS.map((m) => [m.id, m.name]));

export function markingName(id: string): string {
  return BY_ID.get(id) ?? id;
}
