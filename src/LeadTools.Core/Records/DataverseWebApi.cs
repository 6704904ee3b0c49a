using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Records
{
    /// <summary>Which CRM's record shape a run reads and writes.</summary>
    public enum CrmTarget
    {
        /// <summary>Decided from the records: Dataverse when they are in the Web API shape, else Salesforce.</summary>
        Auto,
        /// <summary>Salesforce: lookups are plain id fields (ContactId), new records get provisional ids (003LTnew...).</summary>
        Salesforce,
        /// <summary>Dataverse / Dynamics 365 Web API: lookups as <c>_x_value</c>, new records get GUIDs, request bodies use <c>@odata.bind</c>.</summary>
        Dataverse,
    }

    /// <summary>
    /// The Dataverse (Dynamics 365) Web API record shape: lookups read as <c>_parentcontactid_value</c> (with
    /// <c>@Microsoft.Dynamics.CRM.lookuplogicalname</c> and <c>@OData.Community.Display.V1.FormattedValue</c>
    /// annotations), as an expanded navigation property (<c>parentcontactid: { contactid: ... }</c>) or as a request
    /// body's <c>parentcontactid@odata.bind: "/contacts(guid)"</c>; lookups are written with <c>@odata.bind</c>.
    /// </summary>
    public static class DataverseWebApi
    {
        /// <summary>The table each well-known single-table lookup points to (lead, contact and account lookups seed 004 uses).</summary>
        public static readonly IReadOnlyDictionary<string, string> LookupTargets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["parentcontactid"] = "contact",
            ["parentaccountid"] = "account",
            ["originatingleadid"] = "lead",
            ["qualifyingopportunityid"] = "opportunity",
            ["campaignid"] = "campaign",
            ["transactioncurrencyid"] = "transactioncurrency",
            ["primarycontactid"] = "contact",
            ["masterid"] = "contact",
        };

        /// <summary>True when the record is in the Web API shape: an <c>@odata</c> annotation, a <c>_x_value</c> lookup, or a key named after the table (<c>leadid</c>) and no <c>Id</c> field.</summary>
        public static bool IsWebApiRecord(CrmRecord record)
        {
            foreach (var name in record.Names)
            {
                if (name.StartsWith("@odata.", StringComparison.OrdinalIgnoreCase)) return true;
                if (name.IndexOf("@OData.", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("@Microsoft.Dynamics.CRM.", StringComparison.OrdinalIgnoreCase) >= 0) return true;
                if (IsValueLookupName(name)) return true;
            }
            // Dataverse names the key after the table (leadid, contactid); Salesforce records have Id.
            if (record.ObjectType != null && !record.Has("Id") && record.Has(record.ObjectType + "id")) return true;
            return false;
        }

        /// <summary>The target a run should use: <paramref name="requested"/> unless Auto; then Dataverse when any record is in the Web API shape.</summary>
        public static CrmTarget Resolve(CrmTarget requested, IEnumerable<CrmRecord> records) =>
            requested != CrmTarget.Auto ? requested : records.Any(IsWebApiRecord) ? CrmTarget.Dataverse : CrmTarget.Salesforce;

        private static bool IsValueLookupName(string name) =>
            name.Length > 7 && name[0] == '_' && name.EndsWith("_value", StringComparison.OrdinalIgnoreCase) && name.IndexOf('@') < 0;

        /// <summary>The lookup's logical name: <c>_parentcontactid_value</c> and <c>parentcontactid@odata.bind</c> give <c>parentcontactid</c>.</summary>
        public static string LogicalName(string field)
        {
            if (IsValueLookupName(field)) return field.Substring(1, field.Length - 7);
            var at = field.IndexOf("@odata.bind", StringComparison.OrdinalIgnoreCase);
            return at > 0 ? field.Substring(0, at) : field;
        }

        /// <summary>The Web API read name of a lookup: <c>parentcontactid</c> gives <c>_parentcontactid_value</c>.</summary>
        public static string ValueName(string field) => "_" + LogicalName(field) + "_value";

        /// <summary>
        /// The id a lookup holds, in whichever form the record has it: the field as named (a plain id, Salesforce's
        /// ContactId), <c>_x_value</c>, <c>x@odata.bind</c> (<c>/contacts(guid)</c>), or an expanded <c>x</c> object's key.
        /// Null when the lookup is blank in every form.
        /// </summary>
        public static string? GetLookup(CrmRecord record, string field)
        {
            if (record.TryGet(field, out var own))
            {
                var text = RecordValue.ToText(own);
                if (!string.IsNullOrWhiteSpace(text)) return field.IndexOf("@odata.bind", StringComparison.OrdinalIgnoreCase) > 0 ? IdOfBind(text!) : text!.Trim();
                var nested = KeyOfExpanded(own);
                if (nested != null) return nested;
            }
            var logical = LogicalName(field);
            var value = record.GetString("_" + logical + "_value");
            if (!string.IsNullOrWhiteSpace(value)) return value!.Trim();
            var bind = record.GetString(logical + "@odata.bind");
            if (!string.IsNullOrWhiteSpace(bind)) return IdOfBind(bind!);
            if (!string.Equals(logical, field, StringComparison.OrdinalIgnoreCase) && record.TryGet(logical, out var expanded))
            {
                var text = RecordValue.ToText(expanded);
                if (!string.IsNullOrWhiteSpace(text)) return text!.Trim();
                return KeyOfExpanded(expanded);
            }
            return null;
        }

        /// <summary>The table a lookup points to on this record: its <c>lookuplogicalname</c> annotation, else the well-known target, else null.</summary>
        public static string? LookupTable(CrmRecord record, string field)
        {
            var logical = LogicalName(field);
            var annotated = record.GetString("_" + logical + "_value@Microsoft.Dynamics.CRM.lookuplogicalname");
            if (!string.IsNullOrWhiteSpace(annotated)) return annotated;
            return LookupTargets.TryGetValue(logical, out var t) ? t : null;
        }

        /// <summary>
        /// Sets a lookup in the form the record already uses: the field as named if the record has it, else
        /// <c>_x_value</c> (a Web API record), else the field as named.
        /// </summary>
        public static void SetLookup(CrmRecord record, string field, string id, bool webApi)
        {
            var logical = LogicalName(field);
            if (record.Has(field) && !(record[field] is JObject)) { record.Set(field, id); return; }
            var valueName = "_" + logical + "_value";
            if (webApi || record.Has(valueName))
            {
                if (record.Has(field) && record[field] is JObject) record.Remove(field);
                record.Set(valueName, id);
                // A formatted-value or logical-name annotation of the old value would now describe another record.
                foreach (var n in record.Names.Where(n => n.StartsWith(valueName + "@", StringComparison.OrdinalIgnoreCase)).ToList()) record.Remove(n);
                return;
            }
            record.Set(field, id);
        }

        private static string? KeyOfExpanded(object? value)
        {
            if (!(value is JObject o)) return null;
            foreach (var p in o.Properties())
            {
                if (p.Name.EndsWith("id", StringComparison.OrdinalIgnoreCase) && p.Value.Type == JTokenType.String && Guid.TryParse((string?)p.Value, out _)) return (string)p.Value!;
            }
            return null;
        }

        private static string IdOfBind(string bind)
        {
            var open = bind.LastIndexOf('(');
            var close = bind.LastIndexOf(')');
            return open >= 0 && close > open ? bind.Substring(open + 1, close - open - 1).Trim() : bind.Trim();
        }

        /// <summary>The entity set (collection) name of a table: contact gives contacts, opportunity gives opportunities.</summary>
        public static string EntitySet(string table)
        {
            var t = table.ToLowerInvariant();
            if (t.EndsWith("y", StringComparison.Ordinal) && t.Length > 1 && "aeiou".IndexOf(t[t.Length - 2]) < 0) return t.Substring(0, t.Length - 1) + "ies";
            if (t.EndsWith("s", StringComparison.Ordinal) || t.EndsWith("x", StringComparison.Ordinal) || t.EndsWith("ch", StringComparison.Ordinal) || t.EndsWith("sh", StringComparison.Ordinal)) return t + "es";
            return t + "s";
        }

        /// <summary>The <c>@odata.bind</c> value of a record reference: <c>/contacts(guid)</c>.</summary>
        public static string Bind(string table, string id) => "/" + EntitySet(table) + "(" + id + ")";

        /// <summary>
        /// A name-based (version 5) GUID: the same name gives the same GUID on every run, so posting a re-run's
        /// request again fails on the existing key instead of creating a second record.
        /// </summary>
        public static Guid NameBasedGuid(string name)
        {
            // RFC 4122 name-based UUID (SHA-1) in LeadTools' own namespace.
            var ns = new byte[] { 0x6c, 0x0e, 0x6f, 0x4a, 0x1d, 0x3b, 0x4e, 0x51, 0x9a, 0x57, 0x0c, 0x1e, 0x7d, 0x2b, 0x44, 0x04 };
            var data = ns.Concat(Encoding.UTF8.GetBytes(name)).ToArray();
            byte[] hash;
            using (var sha1 = SHA1.Create()) hash = sha1.ComputeHash(data);
            var b = new byte[16];
            Array.Copy(hash, b, 16);
            b[6] = (byte)((b[6] & 0x0F) | 0x50);
            b[8] = (byte)((b[8] & 0x3F) | 0x80);
            // Guid(byte[]) reads the first three groups little-endian; the UUID bytes are big-endian.
            Array.Reverse(b, 0, 4);
            Array.Reverse(b, 4, 2);
            Array.Reverse(b, 6, 2);
            return new Guid(b);
        }

        /// <summary>True for read-only annotations and envelope fields that a request body must not carry.</summary>
        public static bool IsAnnotation(string name) =>
            name.IndexOf('@') >= 0 && name.IndexOf("@odata.bind", StringComparison.OrdinalIgnoreCase) < 0;

        /// <summary>
        /// A request body for a record's fields: annotations dropped, <c>_x_value</c> lookups and the lookup fields
        /// named in <paramref name="lookups"/> written as <c>x@odata.bind</c> (<c>/contacts(guid)</c>), nested objects
        /// (expanded navigation properties) dropped. Lookups whose table is unknown are listed in <paramref name="untranslated"/>.
        /// </summary>
        public static JObject Body(IEnumerable<KeyValuePair<string, object?>> fields, CrmRecord tableSource, ICollection<string> untranslated, params string[] lookups)
        {
            var body = new JObject();
            foreach (var kv in fields)
            {
                var name = kv.Key;
                if (IsAnnotation(name) || string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase)) continue;
                if (kv.Value is JObject || kv.Value is JArray) continue;
                var isLookup = IsValueLookupName(name) || lookups.Any(l => string.Equals(l, name, StringComparison.OrdinalIgnoreCase));
                if (isLookup || name.EndsWith("@odata.bind", StringComparison.OrdinalIgnoreCase))
                {
                    var logical = LogicalName(name);
                    var id = RecordValue.ToText(kv.Value);
                    if (name.EndsWith("@odata.bind", StringComparison.OrdinalIgnoreCase)) { body[name] = id == null ? JValue.CreateNull() : new JValue(id); continue; }
                    var table = LookupTable(tableSource, name);
                    if (table == null) { untranslated.Add(name); continue; }
                    // A blank lookup is cleared by binding null.
                    body[logical + "@odata.bind"] = string.IsNullOrWhiteSpace(id) ? JValue.CreateNull() : new JValue(Bind(table, IdOfBind(id!)));
                    continue;
                }
                body[name] = kv.Value == null ? JValue.CreateNull() : JToken.FromObject(kv.Value);
            }
            return body;
        }
    }

    /// <summary>One Dataverse Web API request: the method, the URL relative to <c>[org]/api/data/v9.2/</c>, and the JSON body.</summary>
    public sealed class DataverseRequest
    {
        /// <summary>Creates a request.</summary>
        public DataverseRequest(string method, string url, JObject body, string? ifMatch = null)
        {
            Method = method;
            Url = url;
            Body = body;
            IfMatch = ifMatch;
        }

        /// <summary>POST (create) or PATCH (update).</summary>
        public string Method { get; }
        /// <summary>The URL relative to the Web API root: <c>contacts</c>, <c>leads(guid)</c>.</summary>
        public string Url { get; }
        /// <summary>The request body (lookups as <c>@odata.bind</c>).</summary>
        public JObject Body { get; }
        /// <summary>For updates of exported records: the record's <c>@odata.etag</c>, to send as <c>If-Match</c> so a record changed since the export is not overwritten.</summary>
        public string? IfMatch { get; }

        /// <summary>The request as one JSON object: <c>{"method","url","headers","body"}</c>.</summary>
        public JObject ToJson()
        {
            var o = new JObject { ["method"] = Method, ["url"] = Url };
            if (IfMatch != null) o["headers"] = new JObject { ["If-Match"] = IfMatch };
            o["body"] = Body.DeepClone();
            return o;
        }

        /// <summary>A creation of a record of <paramref name="table"/>.</summary>
        public static DataverseRequest Create(string table, JObject body) => new DataverseRequest("POST", DataverseWebApi.EntitySet(table), body);

        /// <summary>An update of record <paramref name="id"/> of <paramref name="table"/>.</summary>
        public static DataverseRequest Update(string table, string id, JObject body, string? etag) =>
            new DataverseRequest("PATCH", DataverseWebApi.EntitySet(table) + "(" + id + ")", body, etag);

        /// <inheritdoc />
        public override string ToString() => Method + " " + Url + " " + Body.ToString(Newtonsoft.Json.Formatting.None);
    }
}

namespace LeadTools.Core.Records
{
    /// <summary>Writes Dataverse Web API requests as one JSON file (an array of <c>{"method","url","headers","body"}</c>), atomically.</summary>
    public static class DataverseRequestFile
    {
        /// <summary>Writes the requests in order; a failed write leaves the previous file (or none), never a half-written one.</summary>
        public static void Write(string path, IEnumerable<DataverseRequest> requests)
        {
            using (var file = new IO.AtomicFileWriter(path))
            {
                using (var text = new System.IO.StreamWriter(file.Stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
                using (var json = new Newtonsoft.Json.JsonTextWriter(text) { Formatting = Newtonsoft.Json.Formatting.Indented })
                {
                    json.WriteStartArray();
                    foreach (var r in requests) r.ToJson().WriteTo(json);
                    json.WriteEndArray();
                }
                file.Commit();
            }
        }
    }
}
