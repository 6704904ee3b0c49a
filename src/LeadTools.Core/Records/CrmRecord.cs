using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Records
{
    /// <summary>
    /// One CRM row: an object type, an id and an ordered set of fields. Field names keep the case they
    /// were exported with and are matched case-insensitively, like Salesforce API names. Values are
    /// JSON values: <see cref="string"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>,
    /// <see cref="bool"/>, <c>null</c>, or a nested <see cref="JToken"/> (object or array). Values handed
    /// in from PowerShell may also be <see cref="DateTime"/> or <see cref="DateTimeOffset"/>.
    /// </summary>
    public sealed class CrmRecord : IEnumerable<KeyValuePair<string, object?>>
    {
        private string[] _names;
        private object?[] _values;
        private int _count;
        private string? _id;
        private bool _idResolved;

        /// <summary>Creates an empty record.</summary>
        public CrmRecord(string? objectType = null, int capacity = 8)
        {
            ObjectType = objectType;
            _names = new string[Math.Max(capacity, 1)];
            _values = new object?[_names.Length];
        }

        /// <summary>The object type (Lead, Contact, account, contactTag, Whizbang__c...), or null when unknown.</summary>
        public string? ObjectType { get; set; }

        /// <summary>
        /// The name of the field that holds the id when it is not <c>Id</c> (Dataverse <c>leadid</c>);
        /// null means the id is read from <c>Id</c>, then from <c>attributes.referenceId</c> (tree files).
        /// </summary>
        public string? IdField { get; set; }

        /// <summary>Where the record came from (file path), if it was read from a file.</summary>
        public string? SourceFile { get; set; }

        /// <summary>1-based record number within <see cref="SourceFile"/>.</summary>
        public long SourceRecordNumber { get; set; }

        /// <summary>1-based line of the record's start within <see cref="SourceFile"/> (0 when unknown).</summary>
        public long SourceLine { get; set; }

        /// <summary>The number of fields.</summary>
        public int Count => _count;

        /// <summary>The record's id: the <c>Id</c> field (or <see cref="IdField"/>), else the tree referenceId.</summary>
        public string? Id
        {
            get
            {
                if (!_idResolved)
                {
                    _id = ResolveId();
                    _idResolved = true;
                }
                return _id;
            }
        }

        /// <summary>The tree-file reference id (<c>attributes.referenceId</c>), if any.</summary>
        public string? ReferenceId
        {
            get
            {
                // Read without building the attributes object when the reader kept it flat.
                if (!TryGetObjectProperty("attributes", "referenceId", out var value)) return null;
                return value is JValue v ? v.Value?.ToString() : value is JToken ? null : value?.ToString();
            }
        }

        /// <summary>Field name at position <paramref name="index"/>.</summary>
        public string NameAt(int index) => index < _count ? _names[index] : throw new ArgumentOutOfRangeException(nameof(index));

        /// <summary>Field value at position <paramref name="index"/>.</summary>
        public object? ValueAt(int index) => index < _count ? Materialize(index) : throw new ArgumentOutOfRangeException(nameof(index));

        /// <summary>The value as stored: a <see cref="FlatJsonObject"/> stays flat (for the reader's own checks).</summary>
        internal object? RawValueAt(int index) => _values[index];

        /// <summary>
        /// A property of a nested object field (<c>attributes.type</c>) without building that object: a scalar as read
        /// when the field is a <see cref="FlatJsonObject"/>, the <see cref="JToken"/> when it is a <see cref="JObject"/>.
        /// </summary>
        internal bool TryGetObjectProperty(string field, string property, out object? value)
        {
            var i = IndexOf(field);
            switch (i < 0 ? null : _values[i])
            {
                case FlatJsonObject flat:
                    return flat.TryGetValue(property, out value);
                case JObject obj when obj.TryGetValue(property, StringComparison.Ordinal, out var token):
                    value = token;
                    return true;
                default:
                    value = null;
                    return false;
            }
        }

        /// <summary>Field names in order.</summary>
        public IEnumerable<string> Names
        {
            get
            {
                for (var i = 0; i < _count; i++) yield return _names[i];
            }
        }

        /// <summary>Gets or sets a field by name (case-insensitive). Getting a missing field gives null; setting adds it at the end.</summary>
        public object? this[string name]
        {
            get => TryGet(name, out var v) ? v : null;
            set => Set(name, value);
        }

        /// <summary>Index of the field named <paramref name="name"/> (case-insensitive), or -1.</summary>
        public int IndexOf(string name)
        {
            // Exact-case first: the common case, and cheaper than the case-insensitive compare.
            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal)) return i;
            }
            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
            }
            return -1;
        }

        /// <summary>True when the record has a field named <paramref name="name"/> (case-insensitive), even if its value is null.</summary>
        public bool Has(string name) => IndexOf(name) >= 0;

        /// <summary>Reads a field (case-insensitive).</summary>
        public bool TryGet(string name, out object? value)
        {
            var i = IndexOf(name);
            if (i < 0)
            {
                value = null;
                return false;
            }
            value = Materialize(i);
            return true;
        }

        /// <summary>A field as text (numbers and booleans formatted invariantly), or null when missing, null or nested.</summary>
        public string? GetString(string name) => TryGet(name, out var v) ? RecordValue.ToText(v) : null;

        /// <summary>Sets a field, keeping its position and the case of its existing name; a new field goes at the end.</summary>
        public void Set(string name, object? value)
        {
            var i = IndexOf(name);
            if (i >= 0)
            {
                _values[i] = value;
            }
            else
            {
                Add(name, value);
            }
            InvalidateId();
        }

        /// <summary>Appends a field without looking for an existing one (readers use it; names must be unique).</summary>
        public void Add(string name, object? value)
        {
            if (_count == _names.Length)
            {
                Array.Resize(ref _names, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }
            _names[_count] = name;
            _values[_count] = value;
            _count++;
            InvalidateId();
        }

        /// <summary>Removes a field; returns false when it was not there.</summary>
        public bool Remove(string name)
        {
            var i = IndexOf(name);
            if (i < 0) return false;
            Array.Copy(_names, i + 1, _names, i, _count - i - 1);
            Array.Copy(_values, i + 1, _values, i, _count - i - 1);
            _count--;
            _names[_count] = null!;
            _values[_count] = null;
            InvalidateId();
            return true;
        }

        /// <summary>Inserts a field at a position (used to put parent lookups and attributes first).</summary>
        public void Insert(int index, string name, object? value)
        {
            Add(name, value);
            var last = _count - 1;
            if (index >= last) return;
            Array.Copy(_names, index, _names, index + 1, last - index);
            Array.Copy(_values, index, _values, index + 1, last - index);
            _names[index] = name;
            _values[index] = value;
        }

        /// <summary>A deep copy (nested JSON values are cloned).</summary>
        public CrmRecord Clone()
        {
            var copy = new CrmRecord(ObjectType, _count)
            {
                IdField = IdField,
                SourceFile = SourceFile,
                SourceRecordNumber = SourceRecordNumber,
                SourceLine = SourceLine,
            };
            for (var i = 0; i < _count; i++)
            {
                // A FlatJsonObject is immutable: the copy shares it and builds its own JObject when asked.
                copy.Add(_names[i], _values[i] is JToken t ? t.DeepClone() : _values[i]);
            }
            return copy;
        }

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < _count; i++) yield return new KeyValuePair<string, object?>(_names[i], Materialize(i));
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <inheritdoc />
        public override string ToString() => $"{ObjectType ?? "?"} {Id ?? "(no id)"}";

        // A flat object becomes the JObject a full parse would have made, once, on the first public read. Readers on
        // several threads may race here: one JObject wins and every reader gets that one.
        private object? Materialize(int index)
        {
            var value = _values[index];
            if (!(value is FlatJsonObject flat)) return value;
            var obj = flat.ToJObject();
            var was = Interlocked.CompareExchange(ref _values[index], obj, flat);
            return ReferenceEquals(was, flat) ? obj : was;
        }

        // The id may live in the field just changed (Id, <type>id, attributes.referenceId): recompute it on next read.
        private void InvalidateId() => _idResolved = false;

        private string? ResolveId()
        {
            if (IdField != null && TryGet(IdField, out var own)) return RecordValue.ToScalarText(own);
            if (TryGet("Id", out var id)) return RecordValue.ToScalarText(id);
            // Dataverse names the key after the entity: accountid, leadid.
            if (ObjectType != null && TryGet(ObjectType + "id", out var entityId)) return RecordValue.ToScalarText(entityId);
            return ReferenceId;
        }
    }
}
