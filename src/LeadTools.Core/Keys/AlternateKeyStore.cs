using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using Newtonsoft.Json;

namespace LeadTools.Core.Keys
{
    /// <summary>How an id came into the key store or got its ContactKey.</summary>
    public enum KeyProvenance
    {
        /// <summary>A new lead or contact: its own ContactKey.</summary>
        Created,
        /// <summary>A lead converted: its id resolves to the contact.</summary>
        Converted,
        /// <summary>A record merged into a survivor: its id resolves to the survivor's key.</summary>
        Merged,
    }

    /// <summary>One id the store knows, with where it points and why.</summary>
    public sealed class KeyEntry
    {
        internal KeyEntry(string id, string? objectType, string? parent, KeyProvenance how, DateTime at, string? from, bool deleted)
        {
            Id = id;
            ObjectType = objectType;
            Parent = parent;
            How = how;
            At = at;
            From = from;
            Deleted = deleted;
        }

        /// <summary>The id (lead id, contact id, ...).</summary>
        public string Id { get; }
        /// <summary>Its object type when known (Lead, Contact, Account for person accounts).</summary>
        public string? ObjectType { get; internal set; }
        /// <summary>The id it was converted or merged into; null for a current ContactKey.</summary>
        public string? Parent { get; internal set; }
        /// <summary>How it got its ContactKey.</summary>
        public KeyProvenance How { get; internal set; }
        /// <summary>When (UTC).</summary>
        public DateTime At { get; internal set; }
        /// <summary>The id it came from (the lead a contact was converted from), if any.</summary>
        public string? From { get; internal set; }
        /// <summary>True when the record was deleted (a merge loser); its id still resolves.</summary>
        public bool Deleted { get; internal set; }

        // Union-find path compression: a jump towards the root. It may point at a former root that has since
        // been linked on, which is still on the way, so links never have to invalidate it.
        internal string? Shortcut;
    }

    /// <summary>
    /// The alternate key store (SPEC 2): every id a person ever had resolves to their current ContactKey,
    /// through conversions and merges, chains included. A union-find over ids with parent pointers and the
    /// provenance of each link; lookups compress paths, so they are near-constant time.
    /// </summary>
    public sealed class AlternateKeyStore
    {
        /// <summary>The schema version written in the file header.</summary>
        public const int SchemaVersion = 1;
        private const string SchemaName = "leadtools.keystore";

        private readonly Dictionary<string, KeyEntry> _entries = new Dictionary<string, KeyEntry>(StringComparer.Ordinal);

        /// <summary>How many ids the store knows.</summary>
        public int Count => _entries.Count;

        /// <summary>True when something changed since loading.</summary>
        public bool IsDirty { get; private set; }

        /// <summary>All entries.</summary>
        public IEnumerable<KeyEntry> Entries => _entries.Values;

        /// <summary>The entry for an id, or null.</summary>
        public KeyEntry? Find(string id)
        {
            var key = Normalise(id);
            return key != null && _entries.TryGetValue(key, out var e) ? e : null;
        }

        /// <summary>Registers a new lead or contact as its own ContactKey; an id already known is left as it is. Returns true when added.</summary>
        public bool Register(string id, string? objectType, DateTime at)
        {
            var key = Normalise(id) ?? throw new ArgumentException("An id is required.", nameof(id));
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.ObjectType == null && objectType != null) existing.ObjectType = objectType;
                return false;
            }
            _entries.Add(key, new KeyEntry(key, objectType, null, KeyProvenance.Created, at, null, false));
            IsDirty = true;
            return true;
        }

        /// <summary>A lead converted into a (new or existing) contact: the lead's keys resolve to the contact's ContactKey.</summary>
        public void Convert(string leadId, string contactId, string contactObjectType, DateTime at)
        {
            var lead = Normalise(leadId)!;
            var contact = Normalise(contactId)!;
            Register(lead, "Lead", at);
            if (Register(contact, contactObjectType, at))
            {
                var c = _entries[contact];
                c.How = KeyProvenance.Converted;
                c.From = lead;
            }
            Link(lead, contact, KeyProvenance.Converted, at);
        }

        /// <summary>A record merged into a survivor: every key of the loser resolves to the survivor's ContactKey; the loser is deleted.</summary>
        public void Merge(string loserId, string survivorId, string? objectType, DateTime at)
        {
            var loser = Normalise(loserId)!;
            var survivor = Normalise(survivorId)!;
            Register(loser, objectType, at);
            Register(survivor, objectType, at);
            Link(loser, survivor, KeyProvenance.Merged, at);
            _entries[loser].Deleted = true;
        }

        private void Link(string from, string to, KeyProvenance how, DateTime at)
        {
            var fromRoot = Resolve(from)!;
            var toRoot = Resolve(to)!;
            if (string.Equals(fromRoot, toRoot, StringComparison.Ordinal)) return;
            // The old root now points at the new one; the provenance of the link is on the old root, and on the
            // id itself when it is not the root (so "how did 00Q.. get here" reads off its own entry too).
            var rootEntry = _entries[fromRoot];
            rootEntry.Parent = toRoot;
            rootEntry.How = how;
            rootEntry.At = at;
            var entry = _entries[from];
            if (!ReferenceEquals(entry, rootEntry) && entry.How == KeyProvenance.Created)
            {
                entry.How = how;
                entry.At = at;
            }
            IsDirty = true;
        }

        /// <summary>The current ContactKey of an id, or null when the id is unknown.</summary>
        public string? Resolve(string id)
        {
            var key = Normalise(id);
            if (key == null || !_entries.TryGetValue(key, out var entry)) return null;
            if (entry.Parent == null) return key;
            var root = entry;
            var steps = 0;
            while (root.Parent != null)
            {
                var next = root.Shortcut ?? root.Parent;
                if (!_entries.TryGetValue(next, out var nextEntry) || ++steps > _entries.Count)
                {
                    throw new InvalidDataException($"The key store is inconsistent: {root.Id} points at {next}, which it does not know or which loops.");
                }
                root = nextEntry;
            }
            // Compress: every entry on the way now jumps straight to the root.
            var current = entry;
            while (current.Parent != null && !ReferenceEquals(current, root))
            {
                var next = _entries[current.Shortcut ?? current.Parent];
                current.Shortcut = root.Id;
                current = next;
            }
            return root.Id;
        }

        /// <summary>Puts entries back as a merge journal recorded them (undo); ids that were unknown then are removed.</summary>
        internal void Restore(IEnumerable<Merge.KeySnapshot> snapshots)
        {
            foreach (var k in snapshots)
            {
                if (!k.Known)
                {
                    _entries.Remove(k.Id);
                    continue;
                }
                _entries[k.Id] = new KeyEntry(k.Id, k.ObjectType, k.Parent, k.How, k.At, k.From, k.Deleted);
            }
            // Shortcuts may now jump past a link that no longer exists.
            foreach (var e in _entries.Values) e.Shortcut = null;
            IsDirty = true;
        }

        /// <summary>The chain of ids from <paramref name="id"/> to its ContactKey (inclusive).</summary>
        public IReadOnlyList<string> Chain(string id)
        {
            var result = new List<string>();
            var key = Normalise(id);
            while (key != null && _entries.TryGetValue(key, out var e))
            {
                result.Add(key);
                key = e.Parent;
                if (result.Count > _entries.Count) break;
            }
            return result;
        }

        /// <summary>Every id that resolves to the same ContactKey as <paramref name="id"/> (the person's alternate keys).</summary>
        public IReadOnlyList<KeyEntry> KeysOf(string id)
        {
            var root = Resolve(id);
            if (root == null) return Array.Empty<KeyEntry>();
            return _entries.Values.Where(e => string.Equals(Resolve(e.Id), root, StringComparison.Ordinal)).OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        }

        /// <summary>For many lookups: ContactKey to every id that resolves to it.</summary>
        public Dictionary<string, List<string>> ReverseIndex()
        {
            var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var e in _entries.Values)
            {
                var root = Resolve(e.Id)!;
                if (!index.TryGetValue(root, out var list)) index[root] = list = new List<string>();
                list.Add(e.Id);
            }
            return index;
        }

        /// <summary>Ids are kept exactly as given (Salesforce ids are case-sensitive); surrounding blanks are not part of an id.</summary>
        private static string? Normalise(string? id)
        {
            if (id == null) return null;
            var t = id.Trim();
            return t.Length == 0 ? null : t;
        }

        // ------------------------------------------------------------------ persistence

        /// <summary>Loads the store from a file written by <see cref="Save"/>; a missing file is an empty store.</summary>
        public static AlternateKeyStore Load(string path)
        {
            var store = new AlternateKeyStore();
            if (!File.Exists(path)) return store;
            using var reader = new StreamReader(path, new UTF8Encoding(false, true));
            var header = reader.ReadLine();
            int expected;
            try
            {
                var h = Newtonsoft.Json.Linq.JObject.Parse(header ?? string.Empty);
                if ((string?)h["schema"] != SchemaName) throw new InvalidDataException($"{path} is not a LeadTools key store.");
                var version = (int?)h["version"] ?? 0;
                if (version > SchemaVersion) throw new InvalidDataException($"{path} has key-store schema version {version}; this LeadTools reads up to {SchemaVersion}. Update LeadTools.");
                expected = (int?)h["keys"] ?? -1;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} line 1: the key-store header is not valid: {ex.Message}");
            }
            // One JSON object per line, read as a token stream (much cheaper than parsing each line into a DOM).
            using var json = new JsonTextReader(reader) { SupportMultipleContent = true, DateParseHandling = DateParseHandling.None, PropertyNameTable = new DefaultJsonNameTable() };
            try
            {
                while (json.Read())
                {
                    if (json.TokenType != JsonToken.StartObject) throw new InvalidDataException($"{path} line {json.LineNumber + 1}: a key-store entry must be a JSON object.");
                    string? id = null, type = null, parent = null, from = null, how = null, at = null;
                    var deleted = false;
                    while (json.Read() && json.TokenType == JsonToken.PropertyName)
                    {
                        var name = (string)json.Value!;
                        json.Read();
                        switch (name)
                        {
                            case "id": id = json.Value as string; break;
                            case "type": type = json.Value as string; break;
                            case "parent": parent = json.Value as string; break;
                            case "from": from = json.Value as string; break;
                            case "how": how = json.Value as string; break;
                            case "at": at = json.Value as string; break;
                            case "deleted": deleted = json.Value is bool b && b; break;
                            default: json.Skip(); break;
                        }
                    }
                    if (json.TokenType != JsonToken.EndObject || id == null)
                    {
                        throw new InvalidDataException($"{path} line {json.LineNumber + 1}: a key-store entry is not valid (it needs an id).");
                    }
                    store._entries[id] = new KeyEntry(
                        id,
                        type,
                        parent,
                        (KeyProvenance)Enum.Parse(typeof(KeyProvenance), how ?? "Created"),
                        DateTime.Parse(at ?? "2000-01-01T00:00:00Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                        from,
                        deleted);
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is ArgumentException || ex is FormatException)
            {
                throw new InvalidDataException($"{path} line {json.LineNumber + 1}: a key-store entry is not valid: {ex.Message}");
            }
            if (expected >= 0 && expected != store._entries.Count)
            {
                throw new InvalidDataException($"{path}: the header says {expected} keys but the file holds {store._entries.Count}; the file was changed by hand or is damaged.");
            }
            return store;
        }

        /// <summary>Writes the store atomically (temporary file, flush to disk, rename): a crash leaves the old file or the new one.</summary>
        public void Save(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (var file = new AtomicFileWriter(path, ExistingFile.Overwrite))
            {
                using (var text = new StreamWriter(file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                {
                    text.Write("{\"schema\":\"" + SchemaName + "\",\"version\":" + SchemaVersion + ",\"keys\":" + _entries.Count + "}\n");
                    using var json = new JsonTextWriter(text) { Formatting = Formatting.None, CloseOutput = false };
                    foreach (var e in _entries.Values)
                    {
                        json.WriteStartObject();
                        json.WritePropertyName("id");
                        json.WriteValue(e.Id);
                        if (e.ObjectType != null)
                        {
                            json.WritePropertyName("type");
                            json.WriteValue(e.ObjectType);
                        }
                        if (e.Parent != null)
                        {
                            json.WritePropertyName("parent");
                            json.WriteValue(e.Parent);
                        }
                        json.WritePropertyName("how");
                        json.WriteValue(e.How.ToString());
                        json.WritePropertyName("at");
                        json.WriteValue(e.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                        if (e.From != null)
                        {
                            json.WritePropertyName("from");
                            json.WriteValue(e.From);
                        }
                        if (e.Deleted)
                        {
                            json.WritePropertyName("deleted");
                            json.WriteValue(true);
                        }
                        json.WriteEndObject();
                        json.WriteWhitespace("\n");
                    }
                    json.Flush();
                }
                file.Commit();
            }
            IsDirty = false;
        }
    }
}
