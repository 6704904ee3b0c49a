using System;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Records
{
    /// <summary>
    /// A JSON object whose values are all scalars, kept as plain name/value pairs until someone asks for it.
    /// Readers store Salesforce's per-record <c>attributes</c> object this way: the import needs only its
    /// <c>type</c> (and <c>referenceId</c>), and a <see cref="JObject"/> per record (a dozen allocations) was a
    /// large share of the import's cost at a million records. <see cref="CrmRecord"/> never hands one out:
    /// every public read turns it into the <see cref="JObject"/> a full parse would have made, once.
    /// Immutable once read, so copies of a record may share it.
    /// </summary>
    internal sealed class FlatJsonObject
    {
        private string[] _names;
        private object?[] _values;
        private int _count;

        public FlatJsonObject(int capacity = 2)
        {
            _names = new string[capacity];
            _values = new object?[capacity];
        }

        /// <summary>Appends a property as read (duplicates are kept in order; the last one wins, as in a JObject).</summary>
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
        }

        /// <summary>The value of the last property named exactly <paramref name="name"/> (JSON property names are case-sensitive).</summary>
        public bool TryGetValue(string name, out object? value)
        {
            for (var i = _count - 1; i >= 0; i--)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    value = _values[i];
                    return true;
                }
            }
            value = null;
            return false;
        }

        /// <summary>The <see cref="JObject"/> the full parse makes: properties in order, the last duplicate winning in the first one's place.</summary>
        public JObject ToJObject()
        {
            var obj = new JObject();
            for (var i = 0; i < _count; i++) obj[_names[i]] = new JValue(_values[i]);
            return obj;
        }
    }
}
