using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.IO;
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
        /// <summary>A provisional id (003LT…) replaced by the id Salesforce assigned on insert: it resolves to that id.</summary>
        Rekeyed,
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
        /// <summary>The id it was converted, merged or re-keyed into; null for a current ContactKey.</summary>
        public string? Parent { get; internal set; }
        /// <summary>How it got its ContactKey.</summary>
        public KeyProvenance How { get; internal set; }
        /// <summary>When (UTC).</summary>
        public DateTime At { get; internal set; }
        /// <summary>The id it came from (the lead a new contact was created from by a conversion), if any.</summary>
        public string? From { get; internal set; }
        /// <summary>True when the record was deleted (a merge loser); its id still resolves.</summary>
        public bool Deleted { get; internal set; }

        /// <summary>True for an id LeadTools made up for a record created offline (<c>003LT…</c>), until Salesforce's id replaces it.</summary>
        public bool IsProvisional => AlternateKeyStore.LooksProvisional(Id);

        // Union-find path compression: a jump towards the root. It may point at a former root that has since
        // been linked on, which is still on the way, so links never have to invalidate it.
        internal string? Shortcut;
    }

    /// <summary>What recording a conversion done in Salesforce (a lead export with IsConverted) changed in the store.</summary>
    public enum SalesforceConversionResult
    {
        /// <summary>The lead now resolves to the contact it was converted into.</summary>
        Recorded,
        /// <summary>The store already had it (the lead resolves to that contact).</summary>
        AlreadyKnown,
        /// <summary>LeadTools had converted the lead offline into a provisional contact; that id now resolves to Salesforce's contact.</summary>
        Rekeyed,
        /// <summary>The store has the lead converted or merged into another person: nothing changed.</summary>
        Conflict,
    }

    /// <summary>What re-keying one provisional id did.</summary>
    public enum RekeyResult
    {
        /// <summary>The provisional id now resolves to the id Salesforce assigned.</summary>
        Rekeyed,
        /// <summary>It already did (a success file read twice).</summary>
        AlreadyRekeyed,
        /// <summary>The store does not know the provisional id (a record the key store does not track, such as an opportunity).</summary>
        NotInStore,
        /// <summary>The id is not a LeadTools provisional id; a Salesforce id is never re-keyed.</summary>
        NotProvisional,
        /// <summary>The new id already belongs to another person in the store: nothing changed.</summary>
        Conflict,
    }

    /// <summary>
    /// The alternate key store (SPEC 2): every id a person ever had resolves to their current ContactKey,
    /// through conversions and merges, chains included. A union-find over ids with parent pointers and the
    /// provenance of each link; lookups compress paths, so they are near-constant time.
    /// </summary>
    public sealed class AlternateKeyStore
    {
        /// <summary>The schema version written in the file header (2: key count in the header and an end marker; 1 is still read).</summary>
        public const int SchemaVersion = 2;
        private const string SchemaName = "leadtools.keystore";

        private readonly Dictionary<string, KeyEntry> _entries = new Dictionary<string, KeyEntry>(StringComparer.Ordinal);
        // 15-character prefix -> the 18-character key it abbreviates (null when two keys share it); built on demand.
        private Dictionary<string, string?>? _shortIndex;

        /// <summary>How many ids the store knows.</summary>
        public int Count => _entries.Count;

        /// <summary>True when something changed since loading.</summary>
        public bool IsDirty { get; private set; }

        /// <summary>All entries.</summary>
        public IEnumerable<KeyEntry> Entries => _entries.Values;

        /// <summary>
        /// The entry for an id, or null. A 15-character Salesforce id finds the 18-character key it abbreviates (and an
        /// 18-character id a key stored in its 15-character form).
        /// </summary>
        public KeyEntry? Find(string id)
        {
            var key = KeyOf(id);
            return key != null ? _entries[key] : null;
        }

        /// <summary>Registers a new lead or contact as its own ContactKey; an id already known is left as it is. Returns true when added.</summary>
        public bool Register(string id, string? objectType, DateTime at)
        {
            var key = Canonical(id) ?? throw new ArgumentException("An id is required.", nameof(id));
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.ObjectType == null && objectType != null)
                {
                    existing.ObjectType = objectType;
                    IsDirty = true;
                }
                return false;
            }
            Add(new KeyEntry(key, objectType, null, KeyProvenance.Created, at, null, false));
            return true;
        }

        /// <summary>A lead converted into a new contact: the lead's keys resolve to the contact's ContactKey, which was created from the lead.</summary>
        public void Convert(string leadId, string contactId, string contactObjectType, DateTime at) => Convert(leadId, contactId, contactObjectType, at, contactIsNew: true);

        /// <summary>
        /// A lead converted into a contact: the lead's keys resolve to the contact's ContactKey. Only a contact the
        /// conversion created records the lead it came from; an existing contact keeps its own provenance.
        /// </summary>
        public void Convert(string leadId, string contactId, string contactObjectType, DateTime at, bool contactIsNew)
        {
            var lead = Canonical(leadId) ?? throw new ArgumentException("A lead id is required.", nameof(leadId));
            var contact = Canonical(contactId) ?? throw new ArgumentException("A contact id is required.", nameof(contactId));
            Register(lead, "Lead", at);
            if (Register(contact, contactObjectType, at) && contactIsNew)
            {
                var c = _entries[contact];
                c.How = KeyProvenance.Converted;
                c.From = lead;
            }
            Link(lead, contact, KeyProvenance.Converted, at);
        }

        /// <summary>
        /// A conversion done in Salesforce, read from a lead export (<c>IsConverted</c>, <c>ConvertedContactId</c>,
        /// <c>ConvertedDate</c>): the lead resolves to the contact from then on. When LeadTools had converted the lead
        /// offline into a provisional contact, that contact's id is re-keyed to Salesforce's. <paramref name="detail"/>
        /// says what was found when nothing changed.
        /// </summary>
        public SalesforceConversionResult RecordSalesforceConversion(string leadId, string contactId, string? contactObjectType, DateTime at, out string detail)
        {
            var lead = Canonical(leadId) ?? throw new ArgumentException("A lead id is required.", nameof(leadId));
            var contact = Canonical(contactId) ?? throw new ArgumentException("A contact id is required.", nameof(contactId));
            detail = string.Empty;
            if (_entries.TryGetValue(lead, out var leadEntry) && leadEntry.Parent != null)
            {
                var leadRoot = Resolve(lead)!;
                var contactRoot = Find(contact) != null ? Resolve(contact) : null;
                if (contactRoot != null && string.Equals(leadRoot, contactRoot, StringComparison.Ordinal))
                {
                    detail = $"{lead} already resolves to {contactRoot}.";
                    return SalesforceConversionResult.AlreadyKnown;
                }
                // Converted offline by LeadTools into a provisional contact: Salesforce's conversion made the real one.
                var parent = _entries[leadEntry.Parent];
                if (leadEntry.How == KeyProvenance.Converted && parent.IsProvisional && parent.Parent == null)
                {
                    var r = Rekey(parent.Id, contact, at, out detail);
                    if (r == RekeyResult.Rekeyed || r == RekeyResult.AlreadyRekeyed) return SalesforceConversionResult.Rekeyed;
                    return SalesforceConversionResult.Conflict;
                }
                detail = $"The key store has lead {lead} {leadEntry.How.ToString().ToLowerInvariant()} into {leadEntry.Parent} (resolving to {leadRoot}) on {leadEntry.At:yyyy-MM-dd}, but the export says it was converted into {contact}; the key store was left as it is.";
                return SalesforceConversionResult.Conflict;
            }
            Register(lead, "Lead", at);
            // The export does not say whether the conversion created the contact, so it keeps its own provenance.
            Register(contact, contactObjectType ?? "Contact", at);
            if (string.Equals(Resolve(contact), lead, StringComparison.Ordinal))
            {
                detail = $"Contact {contact} already resolves to lead {lead} in the key store; the key store was left as it is.";
                return SalesforceConversionResult.Conflict;
            }
            Link(lead, contact, KeyProvenance.Converted, at);
            return SalesforceConversionResult.Recorded;
        }

        /// <summary>
        /// Replaces a provisional id (<c>003LT…</c>) by the id Salesforce assigned when the record was inserted: the new
        /// id takes the provisional one's place (its ContactKey, its links, its provenance) and the provisional id
        /// resolves to it from then on. Reading the same success file twice changes nothing.
        /// </summary>
        public RekeyResult Rekey(string provisionalId, string salesforceId, DateTime at, out string detail)
        {
            var p = KeyOf(provisionalId);
            var real = Canonical(salesforceId) ?? throw new ArgumentException("A Salesforce id is required.", nameof(salesforceId));
            detail = string.Empty;
            if (p == null)
            {
                detail = $"The key store does not know {provisionalId}.";
                return RekeyResult.NotInStore;
            }
            var entry = _entries[p];
            if (!entry.IsProvisional)
            {
                detail = $"{p} is not a LeadTools provisional id; only ids made up offline (prefix + LT) are re-keyed.";
                return RekeyResult.NotProvisional;
            }
            if (string.Equals(p, real, StringComparison.Ordinal) || string.Equals(entry.Parent, real, StringComparison.Ordinal))
            {
                detail = $"{p} already resolves to {real}.";
                return RekeyResult.AlreadyRekeyed;
            }
            if (entry.How == KeyProvenance.Rekeyed && entry.Parent != null)
            {
                detail = $"{p} was already re-keyed to {entry.Parent} on {entry.At:yyyy-MM-dd}; it cannot also be {real}. Nothing was changed.";
                return RekeyResult.Conflict;
            }
            if (!_entries.TryGetValue(real, out var target))
            {
                // The real id steps into the provisional id's place in the tree.
                Add(new KeyEntry(real, entry.ObjectType, entry.Parent, entry.How, entry.At, entry.From, entry.Deleted));
                entry.Parent = real;
                entry.How = KeyProvenance.Rekeyed;
                entry.At = at;
                entry.Deleted = false;
                IsDirty = true;
                return RekeyResult.Rekeyed;
            }
            var realRoot = Resolve(real)!;
            var provisionalRoot = Resolve(p)!;
            if (string.Equals(realRoot, provisionalRoot, StringComparison.Ordinal))
            {
                detail = $"{p} already resolves to {realRoot}, as {real} does.";
                return RekeyResult.AlreadyRekeyed;
            }
            if (entry.Parent != null)
            {
                detail = $"{p} resolves to {provisionalRoot} and {real} to {realRoot}: two people in the key store; nothing was changed.";
                return RekeyResult.Conflict;
            }
            // Both known, P a ContactKey of its own (the contact was also registered from an export after its insert):
            // P now points at the real id, which takes over the conversion's provenance if it had none.
            if (target.Parent == null && target.How == KeyProvenance.Created && target.From == null && entry.From != null)
            {
                target.How = entry.How;
                target.From = entry.From;
            }
            if (target.ObjectType == null) target.ObjectType = entry.ObjectType;
            entry.Parent = real;
            entry.How = KeyProvenance.Rekeyed;
            entry.At = at;
            IsDirty = true;
            return RekeyResult.Rekeyed;
        }

        /// <summary>A record merged into a survivor: every key of the loser resolves to the survivor's ContactKey; the loser is deleted.</summary>
        public void Merge(string loserId, string survivorId, string? objectType, DateTime at)
        {
            var loser = Canonical(loserId) ?? throw new ArgumentException("A loser id is required.", nameof(loserId));
            var survivor = Canonical(survivorId) ?? throw new ArgumentException("A survivor id is required.", nameof(survivorId));
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
            // The old root now points at the id it was linked to (in the other tree, so no loop), which keeps the chain
            // readable (lead -> the contact it became -> the survivor that contact was merged into). The provenance of
            // the link is on the old root, and on the id itself when it is not the root.
            var rootEntry = _entries[fromRoot];
            rootEntry.Parent = string.Equals(from, fromRoot, StringComparison.Ordinal) ? to : toRoot;
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
            var key = KeyOf(id);
            if (key == null) return null;
            var entry = _entries[key];
            if (entry.Parent == null) return key;
            var root = entry;
            var steps = 0;
            while (root.Parent != null)
            {
                var next = root.Shortcut ?? root.Parent;
                if (!_entries.TryGetValue(next, out var nextEntry) || ++steps > _entries.Count)
                {
                    // Load refuses such a store; only a bug could get here.
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
            _shortIndex = null;
            IsDirty = true;
        }

        /// <summary>The chain of ids from <paramref name="id"/> to its ContactKey (inclusive).</summary>
        public IReadOnlyList<string> Chain(string id)
        {
            var result = new List<string>();
            var key = KeyOf(id);
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

        /// <summary>True for an id of LeadTools' provisional shape: 18 characters, a 3-character key prefix, then <c>LT</c>.</summary>
        public static bool LooksProvisional(string? id) =>
            id != null && id.Length == 18 && id[3] == 'L' && id[4] == 'T' && IsIdText(id);

        /// <summary>
        /// The 18-character form of a 15-character Salesforce id: three checksum characters, one per 5-character chunk,
        /// whose bits say which characters of the chunk are upper case. Null when the text is not 15 letters/digits.
        /// </summary>
        public static string? To18(string id)
        {
            if (id == null || id.Length != 15 || !IsIdText(id)) return null;
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
            var suffix = new char[3];
            for (var chunk = 0; chunk < 3; chunk++)
            {
                var bits = 0;
                for (var i = 0; i < 5; i++)
                {
                    var c = id[chunk * 5 + i];
                    if (c >= 'A' && c <= 'Z') bits |= 1 << i;
                }
                suffix[chunk] = alphabet[bits];
            }
            return id + new string(suffix);
        }

        private static bool IsIdText(string id)
        {
            foreach (var c in id)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
            }
            return true;
        }

        /// <summary>Ids are kept exactly as given (Salesforce ids are case-sensitive); surrounding blanks are not part of an id.</summary>
        private static string? Normalise(string? id)
        {
            if (id == null) return null;
            var t = id.Trim();
            return t.Length == 0 ? null : t;
        }

        /// <summary>The key under which the store holds <paramref name="id"/>, or null when it does not know it.</summary>
        private string? KeyOf(string? id)
        {
            var t = Normalise(id);
            if (t == null) return null;
            if (_entries.ContainsKey(t)) return t;
            if (t.Length == 15)
            {
                // Reports and some packages write 15-character ids: the checksum form first, then any key it abbreviates
                // (provisional ids carry no checksum).
                var full = To18(t);
                if (full != null && _entries.ContainsKey(full)) return full;
                _shortIndex ??= BuildShortIndex();
                return _shortIndex.TryGetValue(t, out var k) ? k : null;
            }
            if (t.Length == 18 && IsIdText(t))
            {
                var shortForm = t.Substring(0, 15);
                if (_entries.ContainsKey(shortForm) && string.Equals(To18(shortForm), t, StringComparison.Ordinal)) return shortForm;
            }
            return null;
        }

        /// <summary>The key to store an id under: the known key it abbreviates or expands, else the id as given.</summary>
        private string? Canonical(string? id) => KeyOf(id) ?? Normalise(id);

        private Dictionary<string, string?> BuildShortIndex()
        {
            var index = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var key in _entries.Keys)
            {
                if (key.Length != 18) continue;
                var prefix = key.Substring(0, 15);
                index[prefix] = index.ContainsKey(prefix) ? null : key;
            }
            return index;
        }

        private void Add(KeyEntry entry)
        {
            _entries.Add(entry.Id, entry);
            _shortIndex = null;
            IsDirty = true;
        }

        // ------------------------------------------------------------------ persistence

        /// <summary>
        /// Loads the store from a file written by <see cref="Save"/>; a missing file is an empty store. The whole file is
        /// checked before anything is used: the header (schema, a whole-number version this LeadTools reads, the key
        /// count), every line (valid UTF-8, a JSON object with a known provenance and a date), no id twice, the key count
        /// and (version 2) the end marker, every parent known and no loops. Anything else is refused with
        /// <see cref="InvalidDataException"/> naming the file and the line, so a damaged store is never used or rewritten.
        /// </summary>
        public static AlternateKeyStore Load(string path)
        {
            var store = new AlternateKeyStore();
            if (!File.Exists(path)) return store;
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            int version = 0, expected = -1, lineNumber = 0;
            int? endLine = null;
            var utf8 = new UTF8Encoding(false, true);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
            {
                foreach (var raw in ReadLines(stream))
                {
                    lineNumber++;
                    string text;
                    try
                    {
                        text = utf8.GetString(raw.Array!, raw.Offset, raw.Count);
                    }
                    catch (DecoderFallbackException ex)
                    {
                        throw Corrupt(path, lineNumber, $"the line is not valid UTF-8 (byte {ex.Index + 1} of the line).");
                    }
                    if (lineNumber == 1 && text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
                    if (lineNumber == 1)
                    {
                        ReadHeader(path, text, out version, out expected);
                        continue;
                    }
                    if (text.Trim().Length == 0) continue;
                    if (endLine != null) throw Corrupt(path, lineNumber, $"there is text after the end marker on line {endLine}.");
                    var entry = ReadEntry(path, lineNumber, text, out var endCount);
                    if (entry == null)
                    {
                        if (version < 2) throw Corrupt(path, lineNumber, "an end marker in a version 1 key store.");
                        if (endCount != expected) throw Corrupt(path, lineNumber, $"the end marker says {endCount} keys but the header says {expected}.");
                        endLine = lineNumber;
                        continue;
                    }
                    if (lines.TryGetValue(entry.Id, out var first)) throw Corrupt(path, lineNumber, $"the id {entry.Id} is already on line {first}; each id has one line.");
                    lines.Add(entry.Id, lineNumber);
                    store._entries.Add(entry.Id, entry);
                }
            }
            if (lineNumber == 0) throw Corrupt(path, 1, "the file is empty; a key store starts with its header line. Restore it from a backup, or delete it to start an empty store.");
            if (expected != store._entries.Count)
            {
                throw new InvalidDataException($"{path}: the header says {expected} keys but the file holds {store._entries.Count}; the file was changed by hand or is damaged (line {lineNumber} is the last).");
            }
            if (version >= 2 && endLine == null)
            {
                throw Corrupt(path, lineNumber, "the file ends without its end marker: it was cut short.");
            }
            store.Validate(path, lines);
            return store;
        }

        private static void ReadHeader(string path, string text, out int version, out int keys)
        {
            Newtonsoft.Json.Linq.JObject h;
            try
            {
                using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
                h = Newtonsoft.Json.Linq.JObject.Load(reader);
                if (reader.Read()) throw new JsonReaderException("there is more after the header object.");
            }
            catch (JsonException ex)
            {
                throw Corrupt(path, 1, $"the key-store header is not valid JSON: {ex.Message}");
            }
            if (h["schema"]?.Type != Newtonsoft.Json.Linq.JTokenType.String || (string?)h["schema"] != SchemaName) throw Corrupt(path, 1, $"this is not a LeadTools key store (the header's schema is not \"{SchemaName}\").");
            version = WholeNumber(h["version"], path, "version");
            if (version < 1) throw Corrupt(path, 1, $"the header's version {version} is not a key-store schema version.");
            if (version > SchemaVersion) throw new InvalidDataException($"{path} line 1: the key store has schema version {version}; this LeadTools reads up to {SchemaVersion}. Update LeadTools.");
            if (h["keys"] == null) throw Corrupt(path, 1, "the header has no key count (\"keys\"), so a file with lines missing could not be told from a whole one.");
            keys = WholeNumber(h["keys"], path, "keys");
            if (keys < 0) throw Corrupt(path, 1, $"the header's key count {keys} is negative.");
        }

        private static int WholeNumber(Newtonsoft.Json.Linq.JToken? token, string path, string name)
        {
            if (token == null) throw Corrupt(path, 1, $"the header has no \"{name}\".");
            if (token.Type != Newtonsoft.Json.Linq.JTokenType.Integer) throw Corrupt(path, 1, $"the header's \"{name}\" is {token.ToString(Formatting.None)}, not a whole number.");
            var value = (long)token;
            if (value > int.MaxValue || value < int.MinValue) throw Corrupt(path, 1, $"the header's \"{name}\" {value} is out of range.");
            return (int)value;
        }

        /// <summary>One entry line; null for the end marker (its count in <paramref name="endCount"/>).</summary>
        private static KeyEntry? ReadEntry(string path, int line, string text, out int endCount)
        {
            endCount = -1;
            string? id = null, type = null, parent = null, from = null, how = null, at = null, end = null;
            var deleted = false;
            long? keys = null;
            try
            {
                using var json = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
                if (!json.Read() || json.TokenType != JsonToken.StartObject) throw Corrupt(path, line, "a key-store line must be a JSON object.");
                while (json.Read() && json.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)json.Value!;
                    json.Read();
                    string? Text()
                    {
                        if (json.TokenType == JsonToken.Null) return null;
                        if (json.TokenType != JsonToken.String) throw Corrupt(path, line, $"\"{name}\" must be text.");
                        return (string)json.Value!;
                    }
                    switch (name)
                    {
                        case "id": id = Text(); break;
                        case "type": type = Text(); break;
                        case "parent": parent = Text(); break;
                        case "from": from = Text(); break;
                        case "how": how = Text(); break;
                        case "at": at = Text(); break;
                        case "end": end = Text(); break;
                        case "keys":
                            if (json.TokenType != JsonToken.Integer) throw Corrupt(path, line, "\"keys\" must be a whole number.");
                            keys = System.Convert.ToInt64(json.Value, CultureInfo.InvariantCulture);
                            break;
                        case "deleted":
                            if (json.TokenType != JsonToken.Boolean) throw Corrupt(path, line, "\"deleted\" must be true or false.");
                            deleted = (bool)json.Value!;
                            break;
                        default: json.Skip(); break;
                    }
                }
                if (json.TokenType != JsonToken.EndObject) throw Corrupt(path, line, "the JSON object is not closed.");
                if (json.Read()) throw Corrupt(path, line, "there is more than one JSON object on the line.");
            }
            catch (JsonException ex)
            {
                throw Corrupt(path, line, $"not valid JSON: {ex.Message}");
            }
            if (end != null)
            {
                if (end != SchemaName || keys == null || id != null) throw Corrupt(path, line, "the end marker is not valid.");
                endCount = keys > int.MaxValue ? -1 : (int)keys.Value;
                return null;
            }
            if (string.IsNullOrWhiteSpace(id)) throw Corrupt(path, line, "a key-store entry needs an id.");
            if (id!.Trim() != id) throw Corrupt(path, line, $"the id \"{id}\" has blanks around it.");
            if (parent != null && parent.Trim().Length == 0) throw Corrupt(path, line, "\"parent\" is blank.");
            if (how == null || Array.IndexOf(Enum.GetNames(typeof(KeyProvenance)), how) < 0)
            {
                throw Corrupt(path, line, $"\"how\" is {(how == null ? "missing" : "\"" + how + "\"")}; it must be Created, Converted, Merged or Rekeyed.");
            }
            if (at == null || !DateTime.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when))
            {
                throw Corrupt(path, line, $"\"at\" is {(at == null ? "missing" : "\"" + at + "\"")}; it must be a date-time (UTC).");
            }
            return new KeyEntry(id, type, parent, (KeyProvenance)Enum.Parse(typeof(KeyProvenance), how), when, from, deleted);
        }

        /// <summary>Every parent is a known id and following parents never loops.</summary>
        private void Validate(string path, Dictionary<string, int> lines)
        {
            foreach (var e in _entries.Values)
            {
                if (e.Parent != null && !_entries.ContainsKey(e.Parent))
                {
                    throw Corrupt(path, lines[e.Id], $"{e.Id} points at {e.Parent} (\"parent\"), which the key store does not hold.");
                }
            }
            // Colours: absent = not seen, 1 = on the current walk, 2 = known to reach a root.
            var state = new Dictionary<string, byte>(_entries.Count, StringComparer.Ordinal);
            var walk = new List<string>();
            foreach (var start in _entries.Keys)
            {
                if (state.ContainsKey(start)) continue;
                walk.Clear();
                var current = start;
                while (current != null)
                {
                    if (state.TryGetValue(current, out var colour))
                    {
                        if (colour == 1)
                        {
                            var loop = walk.Skip(walk.IndexOf(current)).ToList();
                            var at = loop.OrderBy(id => lines[id]).First();
                            throw Corrupt(path, lines[at], $"following the parents loops: {string.Join(" -> ", loop)} -> {current}. A key store has no loops; the file was changed by hand or is damaged.");
                        }
                        break;
                    }
                    state[current] = 1;
                    walk.Add(current);
                    current = _entries[current].Parent;
                }
                foreach (var id in walk) state[id] = 2;
            }
        }

        private static InvalidDataException Corrupt(string path, int line, string what) => new InvalidDataException($"{path} line {line}: {what}");

        /// <summary>The file's lines as byte ranges (split on LF; a CR before it dropped), so each is decoded on its own and an error names its line.</summary>
        private static IEnumerable<ArraySegment<byte>> ReadLines(Stream stream)
        {
            var buffer = new byte[1 << 16];
            var line = new MemoryStream();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    line.Write(buffer, start, i - start);
                    yield return Trimmed(line);
                    line.SetLength(0);
                    start = i + 1;
                }
                line.Write(buffer, start, read - start);
            }
            if (line.Length > 0) yield return Trimmed(line);
        }

        private static ArraySegment<byte> Trimmed(MemoryStream line)
        {
            var bytes = line.GetBuffer();
            var count = (int)line.Length;
            if (count > 0 && bytes[count - 1] == (byte)'\r') count--;
            return new ArraySegment<byte>(bytes, 0, count);
        }

        /// <summary>
        /// Writes the store atomically (temporary file, flush to disk, rename): a crash leaves the old file or the new one.
        /// A store whose links are broken (a parent it does not hold) is refused rather than written.
        /// </summary>
        public void Save(string path)
        {
            foreach (var e in _entries.Values)
            {
                if (e.Parent != null && !_entries.ContainsKey(e.Parent))
                {
                    throw new InvalidDataException($"{path}: not saved: {e.Id} would point at {e.Parent}, which the key store does not hold.");
                }
            }
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
                    // The end marker: a file cut short, or with lines removed, is told from a whole one.
                    text.Write("{\"end\":\"" + SchemaName + "\",\"keys\":" + _entries.Count + "}\n");
                }
                file.Commit();
            }
            IsDirty = false;
        }
    }
}
