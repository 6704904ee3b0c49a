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
    /// The sync state: the last sync time per object key and the id cross-references (local id to Salesforce id,
    /// per object type). Stored as one JSON file (<c>syncstate.json</c>) with a schema version, replaced atomically.
    /// </summary>
    public sealed class SyncState
    {
        /// <summary>The schema name written to the file.</summary>
        public const string SchemaName = "LeadTools.SyncState";
        /// <summary>The schema version this LeadTools writes and reads up to.</summary>
        public const int SchemaVersion = 1;
        /// <summary>The file name inside the state folder.</summary>
        public const string FileName = "syncstate.json";

        private readonly Dictionary<string, DateTimeOffset> _lastSync = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, string>> _localToSf = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, string>> _sfToLocal = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Local events not pushed yet because their lead had no Salesforce id: taken again on the next runs whatever their time.</summary>
        public ISet<string> PendingEvents { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Last sync times, by object key.</summary>
        public IReadOnlyDictionary<string, DateTimeOffset> LastSyncTimes => _lastSync;

        /// <summary>The last sync time of an object key, or null (never synced: everything counts as modified).</summary>
        public DateTimeOffset? LastSync(string objectName) => _lastSync.TryGetValue(objectName, out var t) ? t : (DateTimeOffset?)null;

        /// <summary>Sets the last sync time of an object key.</summary>
        public void SetLastSync(string objectName, DateTimeOffset time) => _lastSync[objectName] = time.ToUniversalTime();

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
        public IEnumerable<string> LinkedTypes => _localToSf.Keys;

        /// <summary>A deep copy.</summary>
        public SyncState Clone()
        {
            var c = new SyncState();
            foreach (var p in _lastSync) c._lastSync[p.Key] = p.Value;
            c.PendingEvents.UnionWith(PendingEvents);
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

        /// <summary>Loads a state file; a missing file is an empty state (first sync). Streamed: a million links load without a document tree.</summary>
        public static SyncState Load(string path)
        {
            var state = new SyncState();
            if (!File.Exists(path)) return state;
            string? schema = null;
            int? version = null;
            try
            {
                using var reader = new JsonTextReader(new StreamReader(path, Encoding.UTF8)) { DateParseHandling = DateParseHandling.None };
                if (!Next(reader) || reader.TokenType != JsonToken.StartObject) throw new InvalidDataException($"{path} is not a LeadTools sync state file.");
                while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value!;
                    Next(reader);
                    switch (name)
                    {
                        case "schema":
                            schema = reader.TokenType == JsonToken.String ? (string?)reader.Value : null;
                            break;
                        case "version":
                            version = reader.TokenType == JsonToken.Integer ? Convert.ToInt32(reader.Value, CultureInfo.InvariantCulture) : (int?)null;
                            if (version > SchemaVersion) throw new InvalidDataException($"{path} has sync-state schema version {version}; this LeadTools reads up to {SchemaVersion}. Update LeadTools.");
                            break;
                        case "lastSync" when reader.TokenType == JsonToken.StartObject:
                            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                            {
                                var key = (string)reader.Value!;
                                Next(reader);
                                if (reader.TokenType != JsonToken.String || !DateTimeOffset.TryParse((string)reader.Value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                                {
                                    throw new InvalidDataException($"{path}: lastSync.{key} is not a date-time.");
                                }
                                state._lastSync[key] = t.ToUniversalTime();
                            }
                            break;
                        case "pendingEvents" when reader.TokenType == JsonToken.StartArray:
                            while (Next(reader) && reader.TokenType == JsonToken.String) state.PendingEvents.Add((string)reader.Value!);
                            if (reader.TokenType != JsonToken.EndArray) throw new InvalidDataException($"{path}: pendingEvents must be an array of event ids.");
                            break;
                        case "links" when reader.TokenType == JsonToken.StartObject:
                            while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                            {
                                var type = (string)reader.Value!;
                                Next(reader);
                                if (reader.TokenType != JsonToken.StartObject) throw new InvalidDataException($"{path}: links.{type} must be an object of local id to Salesforce id.");
                                while (Next(reader) && reader.TokenType == JsonToken.PropertyName)
                                {
                                    var localId = (string)reader.Value!;
                                    Next(reader);
                                    // Ids are strings; a number (a hand-edited file) is taken as its text, as before.
                                    if (reader.TokenType != JsonToken.String && reader.TokenType != JsonToken.Integer) throw new InvalidDataException($"{path}: links.{type}.{localId} is not an id.");
                                    state.Link(type, localId, Convert.ToString(reader.Value, CultureInfo.InvariantCulture)!);
                                }
                            }
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
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
            if (schema != SchemaName || version == null) throw new InvalidDataException($"{path} is not a LeadTools sync state file.");
            return state;
        }

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
                json.WriteStartObject();
                json.WritePropertyName("schema");
                json.WriteValue(SchemaName);
                json.WritePropertyName("version");
                json.WriteValue(SchemaVersion);
                json.WritePropertyName("lastSync");
                json.WriteStartObject();
                foreach (var key in Sorted(_lastSync.Keys))
                {
                    json.WritePropertyName(key);
                    json.WriteValue(_lastSync[key].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                }
                json.WriteEndObject();
                if (PendingEvents.Count > 0)
                {
                    json.WritePropertyName("pendingEvents");
                    json.WriteStartArray();
                    foreach (var id in Sorted(PendingEvents)) json.WriteValue(id);
                    json.WriteEndArray();
                }
                json.WritePropertyName("links");
                json.WriteStartObject();
                foreach (var type in Sorted(_localToSf.Keys))
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

        private SyncStateSession(string folder, SyncState state, StateLock? held)
        {
            Folder = folder;
            State = state;
            _lock = held;
        }

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
            StateLock? held = forWrite ? StateLock.Acquire(folder, "syncstate") : null;
            try
            {
                return new SyncStateSession(folder, SyncState.Load(Path.Combine(folder, SyncState.FileName)), held);
            }
            catch
            {
                held?.Dispose();
                throw;
            }
        }

        /// <summary>Saves a new state (only for sessions opened for writing).</summary>
        public void Save(SyncState state)
        {
            if (_lock == null) throw new InvalidOperationException("The sync state was opened read-only.");
            foreach (var stale in Directory.GetFiles(Folder, "." + SyncState.FileName + ".*.tmp"))
            {
                try
                {
                    File.Delete(stale);
                }
                catch (IOException)
                {
                }
            }
            state.Save(FilePath);
            State = state;
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose()
        {
            _lock?.Dispose();
            _lock = null;
        }
    }
}
