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
            Id = id;
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
        /// <summary>The same key-store entries right after the merge (journal version 2): undo checks nothing changed them since.</summary>
        public List<KeySnapshot> KeysAfter { get; } = new List<KeySnapshot>();

        /// <summary>Every id the merge read or changed: records, keys, deleted, destroyed and created ids.</summary>
        public HashSet<string> TouchedIds()
        {
            var ids = new HashSet<string>(StringComparer.Ordinal) { SurvivorId };
            foreach (var b in Before) if (b.Id != null) ids.Add(b.Id);
            ids.UnionWith(Deleted);
            ids.UnionWith(Destroyed);
            ids.UnionWith(Created);
            foreach (var k in Keys) ids.Add(k.Id);
            return ids;
        }

        /// <summary>The run id (the part before the colon).</summary>
        public string RunId => EntryId.Contains(":") ? EntryId.Substring(0, EntryId.LastIndexOf(':')) : EntryId;
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

    /// <summary>Undoing would break a later run that built on the merge's survivors: undo that one first.</summary>
    public sealed class UndoConflictException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public UndoConflictException(string message, string? laterRunId) : base(message) => LaterRunId = laterRunId;

        /// <summary>The later run to undo first, when a journal names it.</summary>
        public string? LaterRunId { get; }
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

        /// <summary>The journal format written (version 2: an entry count in the header, an end marker, keys after each merge).</summary>
        public const int Version = 2;

        /// <summary>Writes a run's entries atomically into the state folder's journal folder.</summary>
        public static string Write(string stateFolder, string runId, IEnumerable<JournalEntry> entries)
        {
            var path = FileOf(stateFolder, runId);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteFile(path, runId, entries, ExistingFile.Fail);
            return path;
        }

        /// <summary>Writes a run's journal to <paramref name="path"/> atomically (a staging copy for the commit protocol).</summary>
        public static void WriteFile(string path, string runId, IEnumerable<JournalEntry> entries, ExistingFile existing)
        {
            var list = entries.ToList();
            using (var file = new AtomicFileWriter(path, existing))
            {
                using (var text = new StreamWriter(file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                using (var json = new JsonTextWriter(text) { Formatting = Formatting.None, CloseOutput = false })
                {
                    text.Write("{\"schema\":\"leadtools.mergejournal\",\"version\":" + Version + ",\"run\":" + JsonConvert.ToString(runId) + ",\"entries\":" + list.Count + "}\n");
                    foreach (var e in list)
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
                        WriteKeys(json, "keys", e.Keys);
                        WriteKeys(json, "keysAfter", e.KeysAfter);
                        json.WriteEndObject();
                        json.WriteWhitespace("\n");
                    }
                    json.Flush();
                    // The end marker: a journal cut anywhere (even exactly between two entries) lacks it.
                    text.Write("{\"end\":true,\"entries\":" + list.Count + "}\n");
                }
                file.Commit();
            }
        }

        private static void WriteKeys(JsonWriter json, string name, List<KeySnapshot> keys)
        {
            json.WritePropertyName(name);
            json.WriteStartArray();
            foreach (var k in keys)
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
        }

        private static void ReadKeys(JObject o, string name, List<KeySnapshot> into)
        {
            if (!(o[name] is JArray keys)) return;
            foreach (JObject k in keys)
            {
                into.Add(new KeySnapshot((string)k["id"]!, (bool)k["known"]!, (string?)k["type"], (string?)k["parent"],
                    (KeyProvenance)Enum.Parse(typeof(KeyProvenance), (string)k["how"]!), DateTime.Parse((string)k["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    (string?)k["from"], (bool)k["deleted"]!));
            }
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

        /// <summary>
        /// Reads a run's entries. A damaged journal is refused (<see cref="InvalidDataException"/> naming the file and
        /// line): not a journal, a newer version, an entry of another run, an entry twice, and (version 2) a count that
        /// does not match or a missing end marker (the file was cut). Version 1 journals (no count) are read as they are.
        /// </summary>
        public static List<JournalEntry> Read(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The merge journal {path} does not exist.", path);
            var entries = new List<JournalEntry>();
            var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
            using var reader = new StreamReader(path, new UTF8Encoding(false, true));
            string? header;
            try
            {
                header = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"{path} line 1: not a LeadTools merge journal (not UTF-8).");
            }
            JObject h;
            try
            {
                h = JObject.Parse(header ?? string.Empty);
            }
            catch (JsonException)
            {
                throw new InvalidDataException($"{path} line 1: not a LeadTools merge journal.");
            }
            if ((string?)h["schema"] != "leadtools.mergejournal") throw new InvalidDataException($"{path} line 1: not a LeadTools merge journal.");
            if (!(h["version"] is JValue vv) || vv.Type != JTokenType.Integer || (long)vv < 1)
            {
                throw new InvalidDataException($"{path} line 1: the merge journal's version is missing or not a positive whole number.");
            }
            var version = (long)vv;
            if (version > Version) throw new InvalidDataException($"{path} line 1: merge journal version {version} is newer than this LeadTools reads (up to {Version}); update LeadTools before undoing this run.");
            var run = (string?)h["run"];
            if (string.IsNullOrEmpty(run)) throw new InvalidDataException($"{path} line 1: the merge journal names no run.");
            long expected = -1;
            if (version >= 2)
            {
                if (!(h["entries"] is JValue ev) || ev.Type != JTokenType.Integer || (long)ev < 0) throw new InvalidDataException($"{path} line 1: the merge journal's entry count is missing or not a whole number.");
                expected = (long)ev;
            }
            string? line;
            var lineNumber = 1;
            var ended = false;
            while (true)
            {
                try
                {
                    line = reader.ReadLine();
                }
                catch (DecoderFallbackException)
                {
                    throw new InvalidDataException($"{path} line {lineNumber + 1}: not valid UTF-8.");
                }
                if (line == null) break;
                lineNumber++;
                if (line.Length == 0) continue;
                if (ended) throw new InvalidDataException($"{path} line {lineNumber}: text after the journal's end marker.");
                try
                {
                    var json = JsonValueReader.Create(new StringReader(line), false);
                    JsonValueReader.Next(json);
                    var o = (JObject)JsonValueReader.ReadToken(json, 256);
                    if (o["end"] != null)
                    {
                        if (version < 2 || (bool)o["end"]! != true) throw new InvalidDataException($"{path} line {lineNumber}: an unexpected end marker.");
                        var count = (long)o["entries"]!;
                        if (count != expected || count != entries.Count)
                        {
                            throw new InvalidDataException($"{path} line {lineNumber}: the journal should hold {expected} entries (header) and {count} (end marker) but holds {entries.Count}; entries were removed or added.");
                        }
                        ended = true;
                        continue;
                    }
                    var e = new JournalEntry((string)o["entry"]!, (string?)o["group"], (string)o["survivor"]!, DateTime.Parse((string)o["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
                    if (e.EntryId == null || !e.EntryId.StartsWith(run + ":", StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"{path} line {lineNumber}: entry {e.EntryId ?? "(none)"} does not belong to run {run}.");
                    }
                    if (firstLine.TryGetValue(e.EntryId, out var first))
                    {
                        throw new InvalidDataException($"{path} line {lineNumber}: entry {e.EntryId} appears twice (first at line {first}); the journal was changed by hand or is damaged.");
                    }
                    firstLine[e.EntryId] = lineNumber;
                    foreach (JObject b in (JArray)o["before"]!)
                    {
                        var fields = JsonValueReader.FromJObject((JObject)b["fields"]!);
                        fields.ObjectType = (string?)b["type"];
                        e.Before.Add(fields);
                    }
                    e.Deleted.AddRange(((JArray)o["deleted"]!).Select(t => (string)t!));
                    e.Destroyed.AddRange(((JArray)o["destroyed"]!).Select(t => (string)t!));
                    e.Created.AddRange(((JArray)o["created"]!).Select(t => (string)t!));
                    if (!(o["keys"] is JArray)) throw new InvalidDataException($"{path} line {lineNumber}: a journal entry is not valid: it has no keys.");
                    ReadKeys(o, "keys", e.Keys);
                    ReadKeys(o, "keysAfter", e.KeysAfter);
                    entries.Add(e);
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidCastException || ex is NullReferenceException || ex is FormatException || ex is ArgumentException || ex is OverflowException)
                {
                    throw new InvalidDataException($"{path} line {lineNumber}: a journal entry is not valid: {ex.Message}");
                }
            }
            if (version >= 2 && !ended)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: the journal ends without its end marker ({entries.Count} of {expected} entries read); the file was cut.");
            }
            return entries;
        }

        /// <summary>
        /// Undoes entries (newest first): the records as they were, and the key store restored. Before each entry's keys
        /// are put back, the store must still hold them as the merge left them (journal version 2); a key changed since
        /// (a later conversion or merge built on the survivor) throws <see cref="UndoConflictException"/> and the
        /// caller must not save the store.
        /// </summary>
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
                if (keys != null)
                {
                    CheckKeysUnchanged(e, keys);
                    keys.Restore(e.Keys);
                }
                results.Add(r);
            }
            return results;
        }

        private static void CheckKeysUnchanged(JournalEntry e, AlternateKeyStore keys)
        {
            foreach (var after in e.KeysAfter)
            {
                var now = keys.Find(after.Id);
                var same = now == null
                    ? !after.Known
                    : after.Known && string.Equals(now.Parent, after.Parent, StringComparison.Ordinal) && now.Deleted == after.Deleted && now.How == after.How;
                if (same) continue;
                var was = after.Known ? (after.Parent == null ? "its own ContactKey" : $"{after.How.ToString().ToLowerInvariant()} into {after.Parent}") : "unknown";
                var isNow = now == null ? "unknown" : now.Parent == null ? "its own ContactKey" : $"{now.How.ToString().ToLowerInvariant()} into {now.Parent} ({now.At:yyyy-MM-dd HH:mm:ss} UTC)";
                throw new UndoConflictException(
                    $"Merge {e.EntryId} cannot be undone: key {after.Id} was {was} after it, and is now {isNow}. A later run (a conversion or merge) built on it; " +
                    "undo that run first, or leave this merge in place. Nothing was changed.", null);
            }
        }

        // ------------------------------------------------------------------ what was undone

        /// <summary>The file that records which entries of a run were undone.</summary>
        public static string UndoneFileOf(string stateFolder, string runId) => FileOf(stateFolder, runId) + ".undone";

        /// <summary>
        /// The entries of a run already undone (empty when none). The file is JSON
        /// (<c>{"schema":"leadtools.undone","version":1,"run":...,"entries":[...]}</c>); the plain "undone &lt;date&gt;" of
        /// earlier versions means the whole run.
        /// </summary>
        public static HashSet<string> ReadUndone(string stateFolder, string runId, IEnumerable<JournalEntry> runEntries)
        {
            var path = UndoneFileOf(stateFolder, runId);
            var result = new HashSet<string>(StringComparer.Ordinal);
            if (!File.Exists(path)) return result;
            var text = File.ReadAllText(path, new UTF8Encoding(false, true)).Trim();
            if (text.StartsWith("undone", StringComparison.Ordinal))
            {
                result.UnionWith(runEntries.Select(e => e.EntryId));
                return result;
            }
            try
            {
                var o = JObject.Parse(text);
                if ((string?)o["schema"] != "leadtools.undone") throw new InvalidDataException($"{path} line 1: not a LeadTools undo record.");
                var version = (int?)o["version"] ?? 0;
                if (version < 1 || version > 1) throw new InvalidDataException($"{path} line 1: undo record version {version} is not one this LeadTools reads (1).");
                foreach (var t in (JArray)o["entries"]!) result.Add((string)t!);
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidCastException || ex is NullReferenceException || ex is FormatException)
            {
                throw new InvalidDataException($"{path} line 1: the undo record is not valid: {ex.Message}");
            }
            return result;
        }

        /// <summary>Writes the record of the undone entries of a run atomically to <paramref name="path"/>.</summary>
        public static void WriteUndone(string path, string runId, IEnumerable<string> entries, DateTime at)
        {
            var o = new JObject
            {
                ["schema"] = "leadtools.undone",
                ["version"] = 1,
                ["run"] = runId,
                ["at"] = at.ToString("o", CultureInfo.InvariantCulture),
                ["entries"] = new JArray(entries.Distinct(StringComparer.Ordinal).OrderBy(e => e, StringComparer.Ordinal).ToArray()),
            };
            using var file = new AtomicFileWriter(path, ExistingFile.Overwrite);
            var bytes = new UTF8Encoding(false).GetBytes(o.ToString(Formatting.None) + "\n");
            file.Stream.Write(bytes, 0, bytes.Length);
            file.Commit();
        }

        /// <summary>
        /// Refuses to undo <paramref name="toUndo"/> (entries of run <paramref name="runId"/>) when a later merge that is
        /// not undone changed any record or key they changed: a later entry of the same run not undone with them, or an
        /// entry of a later run (by time) in the same journal folder. The message names the later run and entry.
        /// </summary>
        public static void CheckUndoOrder(string stateFolder, string runId, IReadOnlyList<JournalEntry> runEntries, IReadOnlyCollection<JournalEntry> toUndo, ISet<string> alreadyUndone, ISet<string>? undoneInThisCall = null)
        {
            var undoing = new HashSet<string>(toUndo.Select(e => e.EntryId), StringComparer.Ordinal);
            var touched = toUndo.ToDictionary(e => e.EntryId, e => e.TouchedIds(), StringComparer.Ordinal);
            // The same run: a later entry that stays in place.
            for (var i = 0; i < runEntries.Count; i++)
            {
                var e = runEntries[i];
                if (!undoing.Contains(e.EntryId)) continue;
                for (var j = i + 1; j < runEntries.Count; j++)
                {
                    var later = runEntries[j];
                    if (undoing.Contains(later.EntryId) || alreadyUndone.Contains(later.EntryId)) continue;
                    var shared = later.TouchedIds().FirstOrDefault(touched[e.EntryId].Contains);
                    if (shared != null)
                    {
                        throw new UndoConflictException($"Merge {e.EntryId} cannot be undone on its own: merge {later.EntryId} of the same run later changed {shared} too. Undo both (-EntryId {e.EntryId}, {later.EntryId}) or the whole run. Nothing was changed.", runId);
                    }
                }
            }
            // Later runs.
            var folder = Folder(stateFolder);
            if (!Directory.Exists(folder)) return;
            var earliest = toUndo.Min(e => e.At);
            foreach (var path in Directory.GetFiles(folder, "*.jsonl").OrderBy(p => p, StringComparer.Ordinal))
            {
                var otherRun = Path.GetFileNameWithoutExtension(path);
                if (string.Equals(otherRun, runId, StringComparison.Ordinal)) continue;
                var others = Read(path);
                var undoneThere = ReadUndone(stateFolder, otherRun, others);
                foreach (var later in others)
                {
                    if (undoneThere.Contains(later.EntryId) || (undoneInThisCall?.Contains(later.EntryId) ?? false) || later.At < earliest) continue;
                    var laterIds = later.TouchedIds();
                    foreach (var e in toUndo)
                    {
                        if (later.At < e.At || (later.At == e.At && string.CompareOrdinal(otherRun, runId) < 0)) continue;
                        var shared = laterIds.FirstOrDefault(touched[e.EntryId].Contains);
                        if (shared == null) continue;
                        throw new UndoConflictException(
                            $"Merge {e.EntryId} cannot be undone yet: the later merge run {otherRun} (merge {later.EntryId}, {later.At:yyyy-MM-dd HH:mm:ss} UTC) built on {shared}, which this merge changed. " +
                            $"Undo run {otherRun} first (Undo-CrmMerge -RunId {otherRun}), then this one. Nothing was changed.", otherRun);
                    }
                }
            }
        }
    }
}
