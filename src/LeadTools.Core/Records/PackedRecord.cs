using System;
using System.Collections.Generic;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Records
{
    /// <summary>
    /// The field names of records that share a layout (every row of a CSV file, most records of a JSON export):
    /// held once and shared by every <see cref="PackedRecord"/> of that layout.
    /// </summary>
    public sealed class RecordShape
    {
        private readonly string[] _names;
        private readonly Dictionary<string, int> _exact;
        private readonly Dictionary<string, int> _ignoreCase;

        internal RecordShape(string[] names)
        {
            _names = names;
            _exact = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
            _ignoreCase = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Length; i++)
            {
                _exact[names[i]] = i;
                // The first of two names that differ only in case wins, as CrmRecord.IndexOf does.
                if (!_ignoreCase.ContainsKey(names[i])) _ignoreCase[names[i]] = i;
            }
        }

        /// <summary>The number of fields.</summary>
        public int Count => _names.Length;

        /// <summary>The field name at a position.</summary>
        public string NameAt(int index) => _names[index];

        /// <summary>The position of a field (exact case first, then case-insensitive), or -1.</summary>
        public int IndexOf(string name)
        {
            if (_exact.TryGetValue(name, out var i)) return i;
            return _ignoreCase.TryGetValue(name, out i) ? i : -1;
        }

        internal bool Matches(CrmRecord record)
        {
            if (record.Count != _names.Length) return false;
            for (var i = 0; i < _names.Length; i++)
            {
                var name = record.NameAt(i);
                if (!ReferenceEquals(name, _names[i]) && !string.Equals(name, _names[i], StringComparison.Ordinal)) return false;
            }
            return true;
        }
    }

    /// <summary>
    /// Hands out shared <see cref="RecordShape"/>s while records are packed: one per distinct layout, up to a limit
    /// (a file whose every record has its own layout gets unshared shapes rather than an ever-growing table).
    /// Not thread-safe: one per reading thread.
    /// </summary>
    public sealed class RecordShapeCache
    {
        private const int MaxShapes = 256;
        private readonly Dictionary<string, RecordShape> _shapes = new Dictionary<string, RecordShape>(StringComparer.Ordinal);
        private RecordShape? _last;

        /// <summary>Where a record's values are encoded before they are copied into its own array (one per reading thread).</summary>
        internal byte[] Scratch = new byte[4096];

        /// <summary>The shape of <paramref name="record"/>'s field names.</summary>
        public RecordShape ShapeOf(CrmRecord record)
        {
            var last = _last;
            if (last != null && last.Matches(record)) return last;
            var names = new string[record.Count];
            for (var i = 0; i < names.Length; i++) names[i] = record.NameAt(i);
            var key = string.Join("\u0000", names);
            if (!_shapes.TryGetValue(key, out var shape))
            {
                shape = new RecordShape(names);
                if (_shapes.Count < MaxShapes) _shapes[key] = shape;
            }
            _last = shape;
            return shape;
        }
    }

    /// <summary>
    /// A record held compactly: its names in a shared <see cref="RecordShape"/>, its values encoded one after another
    /// in a single UTF-8 byte array (a tag byte, then the value), decoded when read. A million leads held this way take
    /// a fraction of what a million objects with a property object per field take. Values set later are kept aside,
    /// unencoded, so any value can be set.
    /// </summary>
    public sealed class PackedRecord
    {
        private const byte TagNull = 0, TagString = 1, TagLong = 2, TagDouble = 3, TagDecimal = 4, TagTrue = 5, TagFalse = 6, TagJson = 7, TagAside = 8;
        private static readonly object NotSet = new object();
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);

        private readonly RecordShape _shape;
        private readonly byte[] _data;
        private object?[]? _aside;

        private PackedRecord(RecordShape shape, byte[] data, object?[]? aside, string? objectType)
        {
            _shape = shape;
            _data = data;
            _aside = aside;
            ObjectType = objectType;
        }

        /// <summary>The object type (Lead, Contact, ...), or null.</summary>
        public string? ObjectType { get; }

        /// <summary>The shared field names.</summary>
        public RecordShape Shape => _shape;

        /// <summary>The number of fields.</summary>
        public int Count => _shape.Count;

        /// <summary>The field name at a position.</summary>
        public string NameAt(int index) => _shape.NameAt(index);

        /// <summary>The position of a field (case-insensitive), or -1.</summary>
        public int IndexOf(string name) => _shape.IndexOf(name);

        /// <summary>Bytes held by the encoded values (for the benchmark's memory report).</summary>
        public int EncodedLength => _data.Length;

        /// <summary>Packs a record (its field names, values and object type).</summary>
        public static PackedRecord Pack(CrmRecord record, RecordShapeCache shapes)
        {
            var shape = shapes.ShapeOf(record);
            var buffer = new Encoder(shapes.Scratch);
            object?[]? aside = null;
            for (var i = 0; i < record.Count; i++)
            {
                var value = record.ValueAt(i);
                if (!buffer.TryEncode(value))
                {
                    aside ??= NewAside(record.Count);
                    aside[i] = value;
                    buffer.Byte(TagAside);
                }
            }
            shapes.Scratch = buffer.Bytes;
            var data = new byte[buffer.Length];
            Buffer.BlockCopy(buffer.Bytes, 0, data, 0, buffer.Length);
            return new PackedRecord(shape, data, aside, record.ObjectType);
        }

        /// <summary>The value at a position: string, long, double, decimal, bool, null, a <see cref="JToken"/>, or what was set.</summary>
        public object? ValueAt(int index)
        {
            if (index < 0 || index >= _shape.Count) throw new ArgumentOutOfRangeException(nameof(index));
            var aside = _aside;
            if (aside != null && !ReferenceEquals(aside[index], NotSet)) return aside[index];
            var at = Seek(index);
            return Decode(_data, ref at);
        }

        /// <summary>Sets the value at a position (kept aside, as given).</summary>
        public void SetAt(int index, object? value)
        {
            if (index < 0 || index >= _shape.Count) throw new ArgumentOutOfRangeException(nameof(index));
            _aside ??= NewAside(_shape.Count);
            _aside[index] = value;
        }

        /// <summary>An ordinary record with the same fields and values.</summary>
        public CrmRecord ToCrmRecord()
        {
            var record = new CrmRecord(ObjectType, Math.Max(_shape.Count, 1));
            var at = 0;
            for (var i = 0; i < _shape.Count; i++)
            {
                var value = Decode(_data, ref at);
                if (_aside != null && !ReferenceEquals(_aside[i], NotSet)) value = _aside[i];
                record.Add(_shape.NameAt(i), value);
            }
            return record;
        }

        private static object?[] NewAside(int count)
        {
            var aside = new object?[count];
            for (var i = 0; i < aside.Length; i++) aside[i] = NotSet;
            return aside;
        }

        private int Seek(int index)
        {
            var at = 0;
            for (var i = 0; i < index; i++) Skip(_data, ref at);
            return at;
        }

        /// <summary>Appends encoded values to a reusable array (grown when needed), without an allocation per value.</summary>
        private struct Encoder
        {
            public byte[] Bytes;
            public int Length;

            public Encoder(byte[] scratch)
            {
                Bytes = scratch;
                Length = 0;
            }

            public void Byte(byte b)
            {
                Ensure(1);
                Bytes[Length++] = b;
            }

            public bool TryEncode(object? value)
            {
                switch (value)
                {
                    case null:
                        Byte(TagNull);
                        return true;
                    case string s:
                        Byte(TagString);
                        Text(s);
                        return true;
                    case long l:
                        Byte(TagLong);
                        Fixed(l, 8);
                        return true;
                    case double d:
                        Byte(TagDouble);
                        Fixed(BitConverter.DoubleToInt64Bits(d), 8);
                        return true;
                    case decimal m:
                        Byte(TagDecimal);
                        foreach (var part in decimal.GetBits(m)) Fixed(part, 4);
                        return true;
                    case bool b:
                        Byte(b ? TagTrue : TagFalse);
                        return true;
                    case JObject _:
                    case JArray _:
                        Byte(TagJson);
                        Text(((JToken)value).ToString(Formatting.None));
                        return true;
                    default:
                        return false;
                }
            }

            // Little-endian, as BitConverter reads them back on every platform .NET runs on here.
            private void Fixed(long bits, int size)
            {
                Ensure(size);
                for (var i = 0; i < size; i++) Bytes[Length++] = (byte)(bits >> (8 * i));
            }

            private void Text(string text)
            {
                var count = Utf8.GetByteCount(text);
                var n = (uint)count;
                while (n >= 0x80)
                {
                    Byte((byte)(n | 0x80));
                    n >>= 7;
                }
                Byte((byte)n);
                Ensure(count);
                Length += Utf8.GetBytes(text, 0, text.Length, Bytes, Length);
            }

            private void Ensure(int more)
            {
                if (Length + more <= Bytes.Length) return;
                Array.Resize(ref Bytes, Math.Max(Bytes.Length * 2, Length + more));
            }
        }

        private static int ReadLength(byte[] data, ref int at)
        {
            var result = 0;
            var shift = 0;
            while (true)
            {
                var b = data[at++];
                result |= (b & 0x7F) << shift;
                if (b < 0x80) return result;
                shift += 7;
            }
        }

        private static void Skip(byte[] data, ref int at)
        {
            switch (data[at++])
            {
                case TagString:
                case TagJson:
                    var length = ReadLength(data, ref at);
                    at += length;
                    break;
                case TagLong:
                case TagDouble:
                    at += 8;
                    break;
                case TagDecimal:
                    at += 16;
                    break;
            }
        }

        private static object? Decode(byte[] data, ref int at)
        {
            var tag = data[at++];
            switch (tag)
            {
                case TagString:
                {
                    var length = ReadLength(data, ref at);
                    var text = Utf8.GetString(data, at, length);
                    at += length;
                    return text;
                }
                case TagJson:
                {
                    var length = ReadLength(data, ref at);
                    var text = Utf8.GetString(data, at, length);
                    at += length;
                    using var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
                    return JToken.ReadFrom(reader);
                }
                case TagLong:
                {
                    var value = BitConverter.ToInt64(data, at);
                    at += 8;
                    return value;
                }
                case TagDouble:
                {
                    var value = BitConverter.ToDouble(data, at);
                    at += 8;
                    return value;
                }
                case TagDecimal:
                {
                    var bits = new int[4];
                    for (var i = 0; i < 4; i++) bits[i] = BitConverter.ToInt32(data, at + 4 * i);
                    at += 16;
                    return new decimal(bits);
                }
                case TagTrue:
                    return true;
                case TagFalse:
                    return false;
                default:
                    // TagNull, and TagAside whose value lives in the aside array.
                    return null;
            }
        }
    }
}
