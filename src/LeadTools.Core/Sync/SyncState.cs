using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.IO;
using LeadTools.Core.State;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Sync
{
    /// <summary>
    /// The sync state: per side (local, Salesforce) and object the watermark (the newest modification time the last
    /// synced snapshot held: "modified since the last sync" means after it), the time of the last run per object, the id
    /// cross-references (local id to Salesforce id, per object type, one to one), the events waiting for their lead,
    /// and which Salesforce org and local instance the state belongs to. Stored as one JSON file
    /// (<c>syncstate.json</c>) with a schema version and a link count per type, replaced atomically; validated
    /// fully on load (<see cref="Load"/>).
    /// </summary>
    public sealed class SyncState
    {
        /// <summary>The schema name written to the file.</summary>
        public const string SchemaName = "LeadTools.SyncState";
        /// <summary>The schema version this LeadTools writes and reads up to (1: one last-sync time for both sides).</summary>
        public const int SchemaVersion = 2;
        /// <summary>The file name inside the state folder.</summary>
        public const string FileName = "syncstate.json";

        private readonly Dictionary<string, DateTimeOffset> _lastSync = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _localMark = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _sfMark = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, string>> _localToSf = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, string>> _sfToLocal = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Local events not pushed yet because their lead had no Salesforce id: taken again on the next runs whatever their time.</summary>
        public ISet<string> PendingEvents { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Records held back because a lookup (AccountId, ...) had no counterpart on the other side yet, as
        /// <c>Side:Type:Id</c> (<see cref="PendingKey"/>): taken again on the next runs whatever their time.
        /// </summary>
        public ISet<string> PendingRecords { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The key of a pending record.</summary>
        public static string PendingKey(SyncSide side, string type, string id) => side + ":" + type + ":" + id;

        /// <summary>The Salesforce org this state syncs with (as given on the first run), or null.</summary>
        public string? SalesforceOrg { get; set; }

        /// <summary>The local (marketing platform) instance this state syncs, or null.</summary>
        public string? LocalInstance { get; set; }

        /// <summary>The time of the last run, by object key (the wall clock; shown, never used to select records).</summary>
        public IReadOnlyDictionary<string, DateTimeOffset> LastSyncTimes => _lastSync;

        /// <summary>The time of the last run of an object key, or null.</summary>
        public DateTimeOffset? LastSync(string objectName) => _lastSync.TryGetValue(objectName, out var t) ? t : (DateTimeOffset?)null;

        /// <summary>
        /// Sets the last run time of an object key and both sides' watermarks to <paramref name="time"/> (what a
        /// schema-1 state means: one time for both sides).
        /// </summary>
        public void SetLastSync(string objectName, DateTimeOffset time)
        {
            _lastSync[objectName] = time.ToUniversalTime();
            SetWatermark(SyncSide.Local, objectName, time);
            SetWatermark(SyncSide.Salesforce, objectName, time);
        }

        /// <summary>Sets the last run time of an object key only.</summary>
        public void SetLastRun(string objectName, DateTimeOffset time) => _lastSync[objectName] = time.ToUniversalTime();

        /// <summary>The watermarks of one side, by object key.</summary>
        public IReadOnlyDictionary<string, DateTimeOffset> Watermarks(SyncSide side) => side == SyncSide.Local ? _localMark : _sfMark;

        /// <summary>The watermark of one side and object: records modified after it count as modified since the last sync; null: never synced.</summary>
        public DateTimeOffset? Watermark(SyncSide side, string objectName) =>
            (side == SyncSide.Local ? _localMark : _sfMark).TryGetValue(objectName, out var t) ? t : (DateTimeOffset?)null;

        /// <summary>Sets the watermark of one side and object.</summary>
        public void SetWatermark(SyncSide side, string objectName, DateTimeOffset time) => (side == SyncSide.Local ? _localMark : _sfMark)[objectName] = time.ToUniversalTime();

        /// <summary>Links a local id and a Salesforce id of an object type (replacing earlier links of either).</summary>
        public void Link(string objectType, string localId, string salesforceId)
        {
            var l2s = Map(_localToSf, objectType);
            var s2l = Map(_sfToLocal, objectType);
            if (l2s.TryGetValue(localId, out var oldSf)) s2l.Remove(oldSf);
            if (s2l.TryGetValue(salesforceId, out var oldLocal)) l2s.Remove(oldLocal);
            l2s[localId] = salesforceId;
            s2l[salesforceId] = localId;
        }

        /// <summary>Removes the link of a local id (no-op when it has none).</summary>
        public void Unlink(string objectType, string localId)
        {
            if (!_localToSf.TryGetValue(objectType, out var l2s) || !l2s.TryGetValue(localId, out var sf)) return;
            l2s.Remove(localId);
            if (_sfToLocal.TryGetValue(objectType, out var s2l)) s2l.Remove(sf);
        }

        /// <summary>The Salesforce id linked to a local id, or null.</summary>
        public string? SalesforceIdOf(string objectType, string localId) => _localToSf.TryGetValue(objectType, out var m) && m.TryGetValue(localId, out var s) ? s : null;

        /// <summary>The local id linked to a Salesforce id, or null.</summary>
        public string? LocalIdOf(string objectType, string salesforceId) => _sfToLocal.TryGetValue(objectType, out var m) && m.TryGetValue(salesforceId, out var l) ? l : null;

        /// <summary>All links of an object type (local id, Salesforce id).</summary>
        public IEnumerable<KeyValuePair<string, string>> Links(string objectType) =>
            _localToSf.TryGetValue(objectType, out var m) ? m : Enumerable.Empty<KeyValuePair<string, string>>();

        /// <summary>Object types with links.</summary>
        public IEnumerable<string> LinkedTypes => _localToSf.Where(m => m.Value.Count > 0).Select(m => m.Key);

        /// <summary>A deep copy.</summary>
        public SyncState Clone()
        {
            var c = new SyncState { SalesforceOrg = SalesforceOrg, LocalInstance = LocalInstance };
            foreach (var p in _lastSync) c._lastSync[p.Key] = p.Value;
            foreach (var p in _localMark) c._localMark[p.Key] = p.Value;
            foreach (var p in _sfMark) c._sfMark[p.Key] = p.Value;
            c.PendingEvents.UnionWith(PendingEvents);
            c.PendingRecords.UnionWith(PendingRecords);
            // The maps are consistent (one-to-one), so they copy as they are.
            foreach (var m in _localToSf) c._localToSf[m.Key] = new Dictionary<string, string>(m.Value, StringComparer.Ordinal);
            foreach (var m in _sfToLocal) c._sfToLocal[m.Key] = new Dictionary<string, string>(m.Value, StringComparer.Ordinal);
            return c;
        }

        private static Dictionary<string, string> Map(Dictionary<string, Dictionary<string, string>> maps, string type)
        {
            if (!maps.TryGetValue(type, out var m)) maps[type] = m = new Dictionary<string, string>(StringComparer.Ordinal);
            return m;
        }

        /// <summary>
        /// Loads a state file; a missing file is an empty state (first sync). Streamed: a million links load without a
        /// document tree. Everything is checked, and anything wrong is an <see cref="InvalidDataException"/> naming the
        /// file, line and column: a damaged state must never be taken for a first sync (that would repeat inserts) nor
        /// rewritten. Checked: the schema and version; <c>lastSync</c>, <c>watermarks</c>, <c>links</c> and (schema 2)
        /// <c>linkCounts</c> present and objects; every time a date-time; every id a non-empty string; no local id or
        /// Salesforce id linked twice in a type; the links of every type as many as its count says.
        /// </summary>
        public static SyncState Load(string path)
        {
            var state = new SyncState();
            if (!File.Exists(path)) return state;
            string? schema = null;
            int? version = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Dictionary<string, (long Count, int Line, int Column)>? counts = null;
            var typeLines = new Dictionary<string, (int Line, int Column)>(StringComparer.OrdinalIgnoreCase);
            int lastLine = 0, lastColumn = 0;
            try
            {
                // Strict UTF-8: a damaged byte is an error, never a replacement character in an id.
                using var reader = new JsonTextReader(new StreamReader(path, new UTF8Encoding(false, true), true)) { DateParseHandling = DateParseHandling.None };
                InvalidDataException Corrupt(string message) => new InvalidDataException($"{path}: line {reader.LineNumber}, column {reader.LinePosition}: {message}");
                DateTimeOffset Time(string key)
                {
                    if (reader.TokenType != JsonToken.String || !DateTimeOffset.TryParse((string)reader.Value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    {
                        throw Corrupt($"{key} is not a date-time ({Shown(reader)}).");
                    }
                    return t.ToUniversalTime();
                }
                void StartObject(string key)
                {
                    if (reader.TokenType != JsonToken.StartObject) throw Corrupt($"{key} must be an object, not {Shown(reader)}.");
                }
                void Times(string key, Action<string, DateTimeOffset> set)
                {
                    StartObject(key);
                    var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                    {
                        var name = (string)reader.Value!;
                        if (!names.Add(name)) throw Corrupt($"{key}.{name} is given twice.");
                        Next(reader);
                        set(name, Time(key + "." + name));
                    }
                }
                if (!Next(reader) || reader.TokenType != JsonToken.StartObject) throw new InvalidDataException($"{path} is not a LeadTools sync state file.");
                while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value!;
                    if (!seen.Add(name)) throw Corrupt($"'{name}' is given twice.");
                    Next(reader);
                    switch (name)
                    {
                        case "schema":
                            schema = reader.TokenType == JsonToken.String ? (string?)reader.Value : null;
                            break;
                        case "version":
                            version = reader.TokenType == JsonToken.Integer ? Convert.ToInt32(reader.Value, CultureInfo.InvariantCulture) : (int?)null;
                            if (version > SchemaVersion) throw new InvalidDataException($"{path} has sync-state schema version {version}; this LeadTools reads up to {SchemaVersion}. Update LeadTools.");
                            if (version < 1) throw Corrupt($"version {version} is not a sync-state schema version.");
                            break;
                        case "salesforceOrg":
                        case "localInstance":
                            if (reader.TokenType != JsonToken.String || string.IsNullOrWhiteSpace((string?)reader.Value)) throw Corrupt($"{name} must be a non-empty string, not {Shown(reader)}.");
                            if (name == "salesforceOrg") state.SalesforceOrg = (string)reader.Value!;
                            else state.LocalInstance = (string)reader.Value!;
                            break;
                        case "lastSync":
                            Times("lastSync", (key, t) => state._lastSync[key] = t);
                            break;
                        case "watermarks":
                            StartObject("watermarks");
                            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                            {
                                var side = (string)reader.Value!;
                                Next(reader);
                                var marks = side == "Local" ? state._localMark : side == "Salesforce" ? state._sfMark : throw Corrupt($"watermarks.{side}: the sides are Local and Salesforce.");
                                if (marks.Count > 0) throw Corrupt($"watermarks.{side} is given twice.");
                                Times("watermarks." + side, (key, t) => marks[key] = t);
                            }
                            break;
                        case "pendingEvents":
                            if (reader.TokenType != JsonToken.StartArray) throw Corrupt($"pendingEvents must be an array of event ids, not {Shown(reader)}.");
                            while (Next(reader) && reader.TokenType == JsonToken.String && !string.IsNullOrEmpty((string?)reader.Value)) state.PendingEvents.Add((string)reader.Value!);
                            if (reader.TokenType != JsonToken.EndArray) throw Corrupt($"pendingEvents must be an array of event ids, not one holding {Shown(reader)}.");
                            break;
                        case "pendingRecords":
                            if (reader.TokenType != JsonToken.StartArray) throw Corrupt($"pendingRecords must be an array of Side:Type:Id keys, not {Shown(reader)}.");
                            while (Next(reader) && reader.TokenType == JsonToken.String && ((string)reader.Value!).Split(':').Length >= 3
                                && (((string)reader.Value!).StartsWith("Local:", StringComparison.Ordinal) || ((string)reader.Value!).StartsWith("Salesforce:", StringComparison.Ordinal)))
                            {
                                state.PendingRecords.Add((string)reader.Value!);
                            }
                            if (reader.TokenType != JsonToken.EndArray) throw Corrupt($"pendingRecords must be an array of Side:Type:Id keys, not one holding {Shown(reader)}.");
                            break;
                        case "linkCounts":
                            StartObject("linkCounts");
                            counts = new Dictionary<string, (long, int, int)>(StringComparer.OrdinalIgnoreCase);
                            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                            {
                                var type = (string)reader.Value!;
                                Next(reader);
                                if (reader.TokenType != JsonToken.Integer || Convert.ToInt64(reader.Value, CultureInfo.InvariantCulture) < 0) throw Corrupt($"linkCounts.{type} must be a count, not {Shown(reader)}.");
                                if (counts.ContainsKey(type)) throw Corrupt($"linkCounts.{type} is given twice.");
                                counts[type] = (Convert.ToInt64(reader.Value, CultureInfo.InvariantCulture), reader.LineNumber, reader.LinePosition);
                            }
                            break;
                        case "links":
                            StartObject("links");
                            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                            {
                                var type = (string)reader.Value!;
                                if (typeLines.ContainsKey(type)) throw Corrupt($"links.{type} is given twice.");
                                typeLines[type] = (reader.LineNumber, reader.LinePosition);
                                Next(reader);
                                StartObject("links." + type);
                                var l2s = Map(state._localToSf, type);
                                var s2l = Map(state._sfToLocal, type);
                                while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                                {
                                    var localId = (string)reader.Value!;
                                    if (string.IsNullOrWhiteSpace(localId)) throw Corrupt($"links.{type} has an empty local id.");
                                    Next(reader);
                                    // Ids are strings; a number (a hand-edited file) is taken as its text, as before.
                                    if (reader.TokenType != JsonToken.String && reader.TokenType != JsonToken.Integer) throw Corrupt($"links.{type}.{localId} is not an id ({Shown(reader)}).");
                                    var sfId = Convert.ToString(reader.Value, CultureInfo.InvariantCulture)!;
                                    if (string.IsNullOrWhiteSpace(sfId)) throw Corrupt($"links.{type}.{localId} is an empty Salesforce id.");
                                    if (l2s.ContainsKey(localId)) throw Corrupt($"links.{type}.{localId} is given twice.");
                                    if (s2l.TryGetValue(sfId, out var other)) throw Corrupt($"links.{type}: local ids {other} and {localId} are both linked to Salesforce id {sfId} (a link is one to one).");
                                    l2s[localId] = sfId;
                                    s2l[sfId] = localId;
                                }
                            }
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                    lastLine = reader.LineNumber;
                    lastColumn = reader.LinePosition;
                }
                if (reader.TokenType != JsonToken.EndObject || reader.Depth != 0)
                {
                    throw new InvalidDataException($"{path}: line {reader.LineNumber}, column {reader.LinePosition}: the sync state is not valid JSON: it ends before it is complete.");
                }
                while (Next(reader))
                {
                    if (reader.TokenType != JsonToken.Comment) throw new InvalidDataException($"{path}: line {reader.LineNumber}, column {reader.LinePosition}: the sync state is not valid JSON: data after its end.");
                }
            }
            catch (JsonReaderException ex)
            {
                throw new InvalidDataException($"{path}: line {ex.LineNumber}, column {ex.LinePosition}: the sync state is not valid JSON: {ex.Message}");
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidDataException($"{path}: the sync state is not valid UTF-8 (byte offset {ex.Index}, after line {lastLine}, column {lastColumn}).");
            }
            if (schema != SchemaName || version == null) throw new InvalidDataException($"{path} is not a LeadTools sync state file.");
            var required = version >= 2 ? new[] { "lastSync", "watermarks", "linkCounts", "links" } : new[] { "lastSync", "links" };
            foreach (var key in required)
            {
                if (!seen.Contains(key)) throw new InvalidDataException($"{path}: line {lastLine}, column {lastColumn}: the sync state has no '{key}' (every state LeadTools writes has it): the file was damaged or edited; restore it from a backup.");
            }
            if (state._lastSync.Count == 0 && (state._localToSf.Any(m => m.Value.Count > 0) || state._localMark.Count > 0 || state._sfMark.Count > 0))
            {
                throw new InvalidDataException($"{path}: line {lastLine}, column {lastColumn}: the sync state holds links or watermarks but no lastSync time: the file was damaged or edited; restore it from a backup.");
            }
            if (version == 1)
            {
                // Schema 1 kept one time per object for both sides.
                foreach (var p in state._lastSync)
                {
                    state._localMark[p.Key] = p.Value;
                    state._sfMark[p.Key] = p.Value;
                }
            }
            if (counts != null)
            {
                foreach (var c in counts)
                {
                    var have = state._localToSf.TryGetValue(c.Key, out var m) ? m.Count : 0;
                    if (have != c.Value.Count)
                    {
                        var (line, column) = typeLines.TryGetValue(c.Key, out var at) ? at : (c.Value.Line, c.Value.Column);
                        throw new InvalidDataException($"{path}: line {line}, column {column}: links.{c.Key} holds {have} link(s), but the state counted {c.Value.Count}: links were lost; restore the file from a backup (a sync from this state would insert the unlinked records again).");
                    }
                }
                foreach (var t in state._localToSf.Where(t => t.Value.Count > 0 && !counts.ContainsKey(t.Key)))
                {
                    var (line, column) = typeLines[t.Key];
                    throw new InvalidDataException($"{path}: line {line}, column {column}: links.{t.Key} has no count in linkCounts: the file was damaged or edited.");
                }
            }
            return state;
        }

        private static string Shown(JsonTextReader reader) => reader.TokenType switch
        {
            JsonToken.Null => "null",
            JsonToken.StartArray => "an array",
            JsonToken.StartObject => "an object",
            JsonToken.String => "\"" + reader.Value + "\"",
            JsonToken.Boolean => ((bool)reader.Value!) ? "true" : "false",
            JsonToken.Integer or JsonToken.Float => Convert.ToString(reader.Value, CultureInfo.InvariantCulture) ?? "a number",
            _ => reader.TokenType.ToString(),
        };

        // The next token that is not a comment (a hand-edited state file may carry comments).
        private static bool Next(JsonTextReader reader)
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment) return true;
            }
            return false;
        }

        /// <summary>Saves atomically (the previous file or the new one, never half of one); keys sorted so the file diffs well.</summary>
        public void Save(string path)
        {
            using var file = new AtomicFileWriter(path, ExistingFile.Overwrite);
            using (var text = new StreamWriter(file.Stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
            using (var json = new JsonTextWriter(text) { Formatting = Formatting.Indented, CloseOutput = false })
            {
                void Times(IReadOnlyDictionary<string, DateTimeOffset> times)
                {
                    json.WriteStartObject();
                    foreach (var key in Sorted(times.Keys))
                    {
                        json.WritePropertyName(key);
                        json.WriteValue(times[key].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                    }
                    json.WriteEndObject();
                }
                json.WriteStartObject();
                json.WritePropertyName("schema");
                json.WriteValue(SchemaName);
                json.WritePropertyName("version");
                json.WriteValue(SchemaVersion);
                if (SalesforceOrg != null)
                {
                    json.WritePropertyName("salesforceOrg");
                    json.WriteValue(SalesforceOrg);
                }
                if (LocalInstance != null)
                {
                    json.WritePropertyName("localInstance");
                    json.WriteValue(LocalInstance);
                }
                json.WritePropertyName("lastSync");
                Times(_lastSync);
                json.WritePropertyName("watermarks");
                json.WriteStartObject();
                json.WritePropertyName("Local");
                Times(_localMark);
                json.WritePropertyName("Salesforce");
                Times(_sfMark);
                json.WriteEndObject();
                if (PendingEvents.Count > 0)
                {
                    json.WritePropertyName("pendingEvents");
                    json.WriteStartArray();
                    foreach (var id in Sorted(PendingEvents)) json.WriteValue(id);
                    json.WriteEndArray();
                }
                if (PendingRecords.Count > 0)
                {
                    json.WritePropertyName("pendingRecords");
                    json.WriteStartArray();
                    foreach (var key in Sorted(PendingRecords)) json.WriteValue(key);
                    json.WriteEndArray();
                }
                var types = Sorted(_localToSf.Where(m => m.Value.Count > 0).Select(m => m.Key));
                // The count per type lets a load tell a links object emptied or cut short from one that is empty.
                json.WritePropertyName("linkCounts");
                json.WriteStartObject();
                foreach (var type in types)
                {
                    json.WritePropertyName(type);
                    json.WriteValue(_localToSf[type].Count);
                }
                json.WriteEndObject();
                json.WritePropertyName("links");
                json.WriteStartObject();
                foreach (var type in types)
                {
                    var links = _localToSf[type];
                    json.WritePropertyName(type);
                    json.WriteStartObject();
                    foreach (var localId in Sorted(links.Keys))
                    {
                        json.WritePropertyName(localId);
                        json.WriteValue(links[localId]);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            file.Commit();
        }

        private static string[] Sorted(IEnumerable<string> keys)
        {
            var array = keys.ToArray();
            Array.Sort(array, StringComparer.Ordinal);
            return array;
        }
    }

    /// <summary>The sync state of a state folder, opened for reading or for a run that changes it (locked until disposed).</summary>
    public sealed class SyncStateSession : IDisposable
    {
        private StateLock? _lock;

        /// <summary>The name of the sync state's lock in the state folder.</summary>
        public const string LockName = "syncstate";

        private SyncStateSession(string folder, SyncState state, StateLock? held, IReadOnlyList<string> notes)
        {
            Folder = folder;
            State = state;
            _lock = held;
            RecoveryNotes = notes;
        }

        /// <summary>What was done about interrupted sync runs when the state was opened (completed, rolled back, still pending).</summary>
        public IReadOnlyList<string> RecoveryNotes { get; }

        /// <summary>The state folder.</summary>
        public string Folder { get; }

        /// <summary>The state file.</summary>
        public string FilePath => Path.Combine(Folder, SyncState.FileName);

        /// <summary>The state as loaded (a run builds a new one; pass it to <see cref="Save"/>).</summary>
        public SyncState State { get; private set; }

        /// <summary>Opens the state; <paramref name="forWrite"/> takes the lock first (and keeps it until disposed).</summary>
        public static SyncStateSession Open(string? statePath, bool forWrite)
        {
            var folder = StateFolder.Resolve(statePath);
            StateLock? held = forWrite ? StateLock.Acquire(folder, LockName) : null;
            try
            {
                // Interrupted sync runs first (the next run sees a run completed or never happened), under the lock: a run
                // committed but killed before its state file was moved into place is completed before the state is read.
                var notes = new List<string>();
                if (held != null)
                {
                    RemoveStaleTempFiles(folder);
                    notes.AddRange(RunLedger.Recover(folder, RunLedger.SyncLedger));
                }
                else if (RunLedger.NeedsRecovery(folder, RunLedger.SyncLedger)) notes.AddRange(RecoverReadOnly(folder));
                return new SyncStateSession(folder, SyncState.Load(Path.Combine(folder, SyncState.FileName)), held, notes);
            }
            catch
            {
                held?.Dispose();
                throw;
            }
        }

        // A reader finishes an interrupted run too when no sync is running (a running sync does it itself).
        private static List<string> RecoverReadOnly(string folder)
        {
            StateLock held;
            try
            {
                held = StateLock.Acquire(folder, LockName);
            }
            catch (StateLockedException)
            {
                return new List<string>();
            }
            using (held)
            {
                return RunLedger.Recover(folder, RunLedger.SyncLedger);
            }
        }

        // A save killed before the ledger existed (or by an older LeadTools) left its temporary file; under the lock no other save runs.
        private static void RemoveStaleTempFiles(string folder)
        {
            if (!Directory.Exists(folder)) return;
            foreach (var stale in Directory.GetFiles(folder, "." + SyncState.FileName + ".*.tmp"))
            {
                try
                {
                    File.Delete(stale);
                }
                catch (IOException)
                {
                }
            }
        }

        /// <summary>Saves a new state directly (only for sessions opened for writing); runs commit it through <see cref="RunLedger"/> instead.</summary>
        public void Save(SyncState state)
        {
            if (_lock == null) throw new InvalidOperationException("The sync state was opened read-only.");
            RemoveStaleTempFiles(Folder);
            state.Save(FilePath);
            State = state;
        }

        /// <summary>
        /// Commits a sync run through the run ledger (<c>sync-runs/</c>): its change files (with <paramref name="stageChanges"/>,
        /// when <paramref name="changeFolder"/> is given) and the new state are staged, then committed by one rename and
        /// completed. See <see cref="RunTransaction"/>. Returns the files written.
        /// </summary>
        public IReadOnlyList<string> CommitRun(string runId, string command, SyncState state, string? changeFolder, Action<RunTransaction>? stageChanges)
        {
            if (_lock == null) throw new InvalidOperationException("The sync state was opened read-only.");
            IReadOnlyList<string> written;
            using (var run = RunTransaction.Begin(Folder, runId, command, changeFolder, RunLedger.SyncLedger))
            {
                stageChanges?.Invoke(run);
                run.StageState(SyncState.FileName, p => state.Save(p));
                written = run.Commit();
            }
            State = state;
            return written;
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose()
        {
            _lock?.Dispose();
            _lock = null;
        }
    }
}
