/**
 * Builds the `PolicyContext` rules evaluate: one pass over the synthesized Terraform JSON to
 * index blocks by type and address, plus lazily built, memoized reverse-reference indexes, so a
 * whole rule pack stays linear in the number of resources.
 */
import { statementsFromDocument, statementsFromJson } from "./iam-statements";
import { BackendInfo, IamStatement, PolicyContext, ResolvedPolicyOptions, TfBlock } from "./types";
import { isObject, Json, strings } from "./values";

/** Matches `type.name` or `data.type.name` inside an expression; candidates are kept only if the block exists. */
const REFERENCE = /(?<![\w.])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const DOCUMENT_REF = /^\$\{(data\.aws_iam_policy_document\.[A-Za-z_][A-Za-z0-9_-]*)\.json\}$/;

export function createPolicyContext(terraform: Json, stackPath: string, options: ResolvedPolicyOptions): PolicyContext {
  return new TerraformIndex(terraform, stackPath, options);
}

class TerraformIndex implements PolicyContext {
  public readonly backend: BackendInfo | undefined;
  private readonly resourcesByType = new Map<string, TfBlock[]>();
  private readonly dataByType = new Map<string, TfBlock[]>();
  private readonly addresses = new Map<string, TfBlock>();
  private readonly attachmentIndexes = new Map<string, Map<string, TfBlock[]>>();
  private readonly documentStatements = new Map<string, readonly IamStatement[]>();

  constructor(
    terraform: Json,
    public readonly stackPath: string,
    public readonly options: ResolvedPolicyOptions,
  ) {
    this.indexBlocks(terraform.resource, "", this.resourcesByType);
    this.indexBlocks(terraform.data, "data.", this.dataByType);
    this.backend = readBackend(terraform.terraform);
  }

  public resources(type: string): readonly TfBlock[] {
    return this.resourcesByType.get(type) ?? [];
  }

  public dataSources(type: string): readonly TfBlock[] {
    return this.dataByType.get(type) ?? [];
  }

  public byAddress(address: string): TfBlock | undefined {
    return this.addresses.get(address);
  }

  public refs(value: unknown): readonly TfBlock[] {
    const found: TfBlock[] = [];
    this.collectRefs(value, found);
    return [...new Set(found)];
  }

  public attachedTo(target: TfBlock, type: string, attribute: string, literalKeys: readonly string[] = []): readonly TfBlock[] {
    const index = this.attachmentIndex(type, attribute);
    const matches = [...(index.get(target.address) ?? [])];
    for (const key of literalKeys) {
      const literal = target.body[key];
      if (typeof literal === "string" && !literal.includes("${")) matches.push(...(index.get(`literal:${literal}`) ?? []));
    }
    return [...new Set(matches)];
  }

  public statements(policy: unknown): readonly IamStatement[] | undefined {
    if (typeof policy !== "string") return undefined;
    const documentRef = DOCUMENT_REF.exec(policy);
    if (documentRef) return this.documentByAddress(documentRef[1]);
    if (policy.startsWith("${")) return undefined;
    return statementsFromJson(policy);
  }

  private documentByAddress(address: string): readonly IamStatement[] | undefined {
    const cached = this.documentStatements.get(address);
    if (cached) return cached;
    const document = this.addresses.get(address);
    if (!document) return undefined;
    this.documentStatements.set(address, []); // guards against reference cycles
    const merged: IamStatement[] = [];
    // Statements merged in from other documents count as this document's statements.
    for (const source of [...strings(document.body.source_policy_documents), ...strings(document.body.override_policy_documents)]) {
      merged.push(...(this.statements(source) ?? []));
    }
    merged.push(...statementsFromDocument(document.body));
    this.documentStatements.set(address, merged);
    return merged;
  }

  private attachmentIndex(type: string, attribute: string): Map<string, TfBlock[]> {
    const key = `${type}|${attribute}`;
    let index = this.attachmentIndexes.get(key);
    if (!index) {
      index = new Map();
      for (const candidate of this.resources(type)) {
        const value = candidate.body[attribute];
        const keys = this.refs(value).map((b) => b.address);
        if (typeof value === "string" && !value.includes("${")) keys.push(`literal:${value}`);
        for (const k of keys) {
          const list = index.get(k);
          if (list) list.push(candidate);
          else index.set(k, [candidate]);
        }
      }
      this.attachmentIndexes.set(key, index);
    }
    return index;
  }

  private collectRefs(value: unknown, found: TfBlock[]): void {
    if (typeof value === "string") {
      if (!value.includes("${")) return;
      for (const match of value.matchAll(REFERENCE)) {
        const block = this.addresses.get(`${match[1] ?? ""}${match[2]}.${match[3]}`);
        if (block) found.push(block);
      }
    } else if (Array.isArray(value)) {
      value.forEach((v) => this.collectRefs(v, found));
    } else if (isObject(value)) {
      Object.values(value).forEach((v) => this.collectRefs(v, found));
    }
  }

  private indexBlocks(section: unknown, prefix: string, byType: Map<string, TfBlock[]>): void {
    if (!isObject(section)) return;
    for (const [type, named] of Object.entries(section)) {
      if (!isObject(named)) continue;
      const list: TfBlock[] = [];
      for (const [name, body] of Object.entries(named)) {
        if (!isObject(body)) continue;
        const block: TfBlock = { type, name, address: `${prefix}${type}.${name}`, path: metadataPath(body) ?? this.stackPath, body };
        list.push(block);
        this.addresses.set(block.address, block);
      }
      byType.set(type, list);
    }
  }
}

/** cdktf records the construct path of every block under `//.metadata.path`. */
function metadataPath(body: Json): string | undefined {
  const meta = body["//"];
  if (!isObject(meta) || !isObject(meta.metadata)) return undefined;
  return typeof meta.metadata.path === "string" ? meta.metadata.path : undefined;
}

function readBackend(terraformBlock: unknown): BackendInfo | undefined {
  if (!isObject(terraformBlock)) return undefined;
  if (isObject(terraformBlock.cloud)) return { type: "cloud", config: terraformBlock.cloud };
  if (!isObject(terraformBlock.backend)) return undefined;
  const [type, config] = Object.entries(terraformBlock.backend)[0] ?? [];
  return type ? { type, config: isObject(config) ? config : {} } : undefined;
}
