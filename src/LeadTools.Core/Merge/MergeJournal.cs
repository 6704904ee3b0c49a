using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Merge
{
    /// <summary>A key-store entry as it was before a merge (or its absence).</summary>
    public sealed class KeySnapshot
    {
        private KeySnapshot(string id, KeyEntry? entry)
        {
            Id = entry?.Id ?? id; // a 15-character id of a known key: the key as the store holds it
            Known = entry != null;
            ObjectType = entry?.ObjectType;
            Parent = entry?.Parent;
            How = entry?.How ?? KeyProvenance.Created;
            At = entry?.At ?? default;
            From = entry?.From;
            Deleted = entry?.Deleted ?? false;
        }

        internal KeySnapshot(string id, bool known, string? type, string? parent, KeyProvenance how, DateTime at, string? from, bool deleted)
        {
            Id = id;
            Known = known;
            ObjectType = type;
            Parent = parent;
            How = how;
            At = at;
            From = from;
            Deleted = deleted;
        }

        /// <summary>The id.</summary>
        public string Id { get; }
        /// <summary>Whether the store knew it.</summary>
        public bool Known { get; }
        /// <summary>Its object type.</summary>
        public string? ObjectType { get; }
        /// <summary>Its parent then.</summary>
        public string? Parent { get; }
        /// <summary>Its provenance then.</summary>
        public KeyProvenance How { get; }
        /// <summary>When then.</summary>
        public DateTime At { get; }
        /// <summary>From then.</summary>
        public string? From { get; }
        /// <summary>Deleted then.</summary>
        public bool Deleted { get; }

        /// <summary>Takes a snapshot of one id.</summary>
        public static KeySnapshot Of(AlternateKeyStore store, string id) => new KeySnapshot(id, store.Find(id));
    }

    /// <summary>The journal entry of one merge: before-images of every record it updated or deleted, and what it created.</summary>
    public sealed class JournalEntry
    {
        internal JournalEntry(string entryId, string? groupId, string survivorId, DateTime at)
        {
            EntryId = entryId;
            GroupId = groupId;
            SurvivorId = survivorId;
            At = at;
        }

        /// <summary>"runId:n".</summary>
        public string EntryId { get; }
        /// <summary>The group label.</summary>
        public string? GroupId { get; }
        /// <summary>The survivor.</summary>
        public string SurvivorId { get; }
        /// <summary>When.</summary>
        public DateTime At { get; }
        /// <summary>Full before-images: survivor, losers, children, memberships, opportunities.</summary>
        public List<CrmRecord> Before { get; } = new List<CrmRecord>();
        /// <summary>Ids of the records the merge deleted (the losers).</summary>
        public List<string> Deleted { get; } = new List<string>();
        /// <summary>Ids of memberships the merge destroyed.</summary>
        public List<string> Destroyed { get; } = new List<string>();
        /// <summary>Ids of records the merge created (re-inserted memberships).</summary>
        public List<string> Created { get; } = new List<string>();
        /// <summary>The key-store entries before the merge.</summary>
        public List<KeySnapshot> Keys { get; } = new List<KeySnapshot>();
    }

    /// <summary>What undoing one merge gives back.</summary>
    public sealed class UndoResult
    {
        internal UndoResult(JournalEntry entry) => Entry = entry;

        /// <summary>The journal entry undone.</summary>
        public JournalEntry Entry { get; }
        /// <summary>The records exactly as they were before the merge (survivor, losers, children, memberships, opportunities).</summary>
        public List<CrmRecord> Restored { get; } = new List<CrmRecord>();
        /// <summary>Deleted records to undelete in the CRM (the losers).</summary>
        public List<CrmRecord> Undeleted { get; } = new List<CrmRecord>();
        /// <summary>Destroyed memberships to insert again.</summary>
        public List<CrmRecord> Reinserted { get; } = new List<CrmRecord>();
        /// <summary>Records the merge created, to delete.</summary>
        public List<string> ToDelete { get; } = new List<string>();
    }

    /// <summary>
    /// The merge journal (SPEC 5.5): one JSON Lines file per run under <c>&lt;state&gt;/journal/</c>, written atomically
    /// before the key store and change files, so every merge can be undone exactly.
    /// </summary>
    public static class MergeJournal
    {
        /// <summary>The journal folder of a state folder.</summary>
        public static string Folder(string stateFolder) => Path.Combine(stateFolder, "journal");

        /// <summary>The journal file of a run.</summary>
        public static string FileOf(string stateFolder, string runId) => Path.Combine(Folder(stateFolder), runId + ".jsonl");

        /// <summary>Writes a run's entries atomically.</summary>
        public static string Write(string stateFolder, string runId, IEnumerable<JournalEntry> entries)
        {
            var path = FileOf(stateFolder, runId);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var file = new AtomicFileWriter(path, ExistingFile.Fail))
            {
                using (var text = new StreamWriter(file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                using (var json = new JsonTextWriter(text) { Formatting = Formatting.None, CloseOutput = false })
                {
                    text.Write("{\"schema\":\"leadtools.mergejournal\",\"version\":1,\"run\":\"" + runId + "\"}\n");
                    foreach (var e in entries)
                    {
                        json.WriteStartObject();
                        Prop(json, "entry", e.EntryId);
                        Prop(json, "group", e.GroupId);
                        Prop(json, "survivor", e.SurvivorId);
                        Prop(json, "at", e.At.ToString("o", CultureInfo.InvariantCulture));
                        json.WritePropertyName("before");
                        json.WriteStartArray();
                        foreach (var r in e.Before)
                        {
                            json.WriteStartObject();
                            Prop(json, "type", r.ObjectType);
                            json.WritePropertyName("fields");
                            json.WriteStartObject();
                            for (var i = 0; i < r.Count; i++)
                            {
                                json.WritePropertyName(r.NameAt(i));
                                WriteValue(json, r.ValueAt(i));
                            }
                            json.WriteEndObject();
                            json.WriteEndObject();
                        }
                        json.WriteEndArray();
                        json.WritePropertyName("deleted");
                        json.WriteStartArray();
                        foreach (var d in e.Deleted) json.WriteValue(d);
                        json.WriteEndArray();
                        json.WritePropertyName("destroyed");
                        json.WriteStartArray();
                        foreach (var d in e.Destroyed) json.WriteValue(d);
                        json.WriteEndArray();
                        json.WritePropertyName("created");
                        json.WriteStartArray();
                        foreach (var c in e.Created) json.WriteValue(c);
                        json.WriteEndArray();
                        json.WritePropertyName("keys");
                        json.WriteStartArray();
                        foreach (var k in e.Keys)
                        {
                            json.WriteStartObject();
                            Prop(json, "id", k.Id);
                            json.WritePropertyName("known");
                            json.WriteValue(k.Known);
                            Prop(json, "type", k.ObjectType);
                            Prop(json, "parent", k.Parent);
                            Prop(json, "how", k.How.ToString());
                            Prop(json, "at", k.At.ToString("o", CultureInfo.InvariantCulture));
                            Prop(json, "from", k.From);
                            json.WritePropertyName("deleted");
                            json.WriteValue(k.Deleted);
                            json.WriteEndObject();
                        }
                        json.WriteEndArray();
                        json.WriteEndObject();
                        json.WriteWhitespace("\n");
                    }
                    json.Flush();
                }
                file.Commit();
            }
            return path;
        }

        private static void Prop(JsonWriter json, string name, string? value)
        {
            json.WritePropertyName(name);
            json.WriteValue(value);
        }

        private static void WriteValue(JsonWriter json, object? value)
        {
            switch (value)
            {
                case JToken token:
                    token.WriteTo(json);
                    break;
                case DateTime dt:
                    json.WriteValue(RecordValue.FormatDateTime(dt));
                    break;
                case DateTimeOffset dto:
                    json.WriteValue(RecordValue.ToText(dto));
                    break;
                default:
                    json.WriteValue(value);
                    break;
            }
        }

        /// <summary>Reads a run's entries; a damaged file is refused with its line.</summary>
        public static List<JournalEntry> Read(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The merge journal {path} does not exist.", path);
            var entries = new List<JournalEntry>();
            using var reader = new StreamReader(path, new UTF8Encoding(false, true));
            var header = reader.ReadLine();
            if (header == null || !header.Contains("\"leadtools.mergejournal\"")) throw new InvalidDataException($"{path} line 1: not a LeadTools merge journal.");
            string? line;
            var lineNumber = 1;
            while ((line = reader.ReadLine()) != null)
            {
                lineNumber++;
                if (line.Length == 0) continue;
                try
                {
                    var json = JsonValueReader.Create(new StringReader(line), false);
                    JsonValueReader.Next(json);
                    var o = (JObject)JsonValueReader.ReadToken(json, 256);
                    var e = new JournalEntry((string)o["entry"]!, (string?)o["group"], (string)o["survivor"]!, DateTime.Parse((string)o["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
                    foreach (JObject b in (JArray)o["before"]!)
                    {
                        var fields = JsonValueReader.FromJObject((JObject)b["fields"]!);
                        fields.ObjectType = (string?)b["type"];
                        e.Before.Add(fields);
                    }
                    e.Deleted.AddRange(((JArray)o["deleted"]!).Select(t => (string)t!));
                    e.Destroyed.AddRange(((JArray)o["destroyed"]!).Select(t => (string)t!));
                    e.Created.AddRange(((JArray)o["created"]!).Select(t => (string)t!));
                    foreach (JObject k in (JArray)o["keys"]!)
                    {
                        e.Keys.Add(new KeySnapshot((string)k["id"]!, (bool)k["known"]!, (string?)k["type"], (string?)k["parent"],
                            (KeyProvenance)Enum.Parse(typeof(KeyProvenance), (string)k["how"]!), DateTime.Parse((string)k["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                            (string?)k["from"], (bool)k["deleted"]!));
                    }
                    entries.Add(e);
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidCastException || ex is NullReferenceException || ex is FormatException || ex is ArgumentException)
                {
                    throw new InvalidDataException($"{path} line {lineNumber}: a journal entry is not valid: {ex.Message}");
                }
            }
            return entries;
        }

        /// <summary>Undoes entries (newest first): the records as they were, and the key store restored.</summary>
        public static List<UndoResult> Undo(IEnumerable<JournalEntry> entries, AlternateKeyStore? keys)
        {
            var results = new List<UndoResult>();
            foreach (var e in entries.Reverse())
            {
                var r = new UndoResult(e);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var before in e.Before)
                {
                    if (before.Id == null || !seen.Add(before.Id)) continue;
                    r.Restored.Add(before.Clone());
                    if (e.Destroyed.Contains(before.Id)) r.Reinserted.Add(before.Clone());
                    if (e.Deleted.Contains(before.Id)) r.Undeleted.Add(before.Clone());
                }
                r.ToDelete.AddRange(e.Created);
                if (keys != null) keys.Restore(e.Keys);
                results.Add(r);
            }
            return results;
        }
    }
}
