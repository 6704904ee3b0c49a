using System;
using System.Collections.Generic;

namespace LeadTools.Core.Import
{
    /// <summary>
    /// The ids of one object type already read in an import, each with where it was first read (a packed number).
    /// Ids compare exactly (Salesforce's 15-character ids differ by case).
    /// </summary>
    /// <remarks>
    /// This check ran once per record and, with a million string keys kept in a dictionary to the end of the read,
    /// doubled the time of a 1M import (every garbage collection copied or marked the strings; every insert was a
    /// cache miss). So: Salesforce-style ids (up to 20 letters and digits) are packed into two 64-bit numbers, no
    /// string kept; and ids that arrive in ascending order, as they do in most exports (queries and Data Loader
    /// return records in Id order), are appended to a sorted array: an id above every id seen so far cannot be a
    /// duplicate, so it needs no lookup. Ids out of that order go to a dictionary (and are looked up in both), and
    /// ids that cannot be packed (GUIDs, ids with punctuation, long ids) to a dictionary of strings.
    /// </remarks>
    internal sealed class SeenIds
    {
        private const int MaxPackedLength = 20;
        private const int HalfLength = 10;

        // Digit values 1-62 for 0-9, A-Z, a-z (in ordinal order); 0 for every other character (cannot be packed).
        private static readonly byte[] Code = BuildCodes();

        private Entry[] _ascending = new Entry[64];
        private int _ascendingCount;
        private Dictionary<PackedId, long>? _unordered;
        private Dictionary<string, long>? _other;

        /// <summary>Adds <paramref name="id"/> with its location; when it was already there, gives the first location instead.</summary>
        public bool TryAdd(string id, long location, out long firstLocation)
        {
            if (!TryPack(id, out var key))
            {
                var other = _other ??= new Dictionary<string, long>(StringComparer.Ordinal);
                if (other.TryGetValue(id, out firstLocation)) return false;
                other.Add(id, location);
                return true;
            }
            firstLocation = 0;
            if (_ascendingCount == 0 || key.CompareTo(_ascending[_ascendingCount - 1].Key) > 0)
            {
                // Above every id kept: the dictionary's ids were each below the array's last id when they came.
                if (_ascendingCount == _ascending.Length) Array.Resize(ref _ascending, _ascending.Length * 2);
                _ascending[_ascendingCount++] = new Entry(key, location);
                return true;
            }
            var at = Find(key);
            if (at >= 0)
            {
                firstLocation = _ascending[at].Location;
                return false;
            }
            var unordered = _unordered ??= new Dictionary<PackedId, long>();
            if (unordered.TryGetValue(key, out firstLocation)) return false;
            unordered.Add(key, location);
            return true;
        }

        private int Find(PackedId key)
        {
            int lo = 0, hi = _ascendingCount - 1;
            while (lo <= hi)
            {
                var mid = lo + ((hi - lo) >> 1);
                var c = _ascending[mid].Key.CompareTo(key);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1;
                else hi = mid - 1;
            }
            return -1;
        }

        /// <summary>
        /// Ten characters per half as a base-63 number with digits 1-62 (no zero digit, so every string of up to
        /// ten such characters has its own number); false when the id cannot be packed. Ids of one length compare
        /// as their strings do (ordinal).
        /// </summary>
        internal static bool TryPack(string id, out PackedId key)
        {
            key = default;
            if (id.Length > MaxPackedLength) return false;
            ulong high = 0, low = 0;
            for (var i = 0; i < id.Length; i++)
            {
                var c = id[i];
                if (c >= 128) return false;
                ulong digit = Code[c];
                if (digit == 0) return false;
                if (i < HalfLength) high = (high * 63) + digit;
                else low = (low * 63) + digit;
            }
            key = new PackedId(high, low);
            return true;
        }

        private static byte[] BuildCodes()
        {
            var codes = new byte[128];
            byte next = 1;
            for (var c = '0'; c <= '9'; c++) codes[c] = next++;
            for (var c = 'A'; c <= 'Z'; c++) codes[c] = next++;
            for (var c = 'a'; c <= 'z'; c++) codes[c] = next++;
            return codes;
        }

        private readonly struct Entry
        {
            public Entry(PackedId key, long location)
            {
                Key = key;
                Location = location;
            }

            public PackedId Key { get; }

            public long Location { get; }
        }

        /// <summary>A packed id: no reference for the garbage collector to follow.</summary>
        internal readonly struct PackedId : IEquatable<PackedId>, IComparable<PackedId>
        {
            private readonly ulong _high;
            private readonly ulong _low;

            public PackedId(ulong high, ulong low)
            {
                _high = high;
                _low = low;
            }

            public bool Equals(PackedId other) => _high == other._high && _low == other._low;

            public override bool Equals(object? obj) => obj is PackedId other && Equals(other);

            public int CompareTo(PackedId other) => _high != other._high ? _high.CompareTo(other._high) : _low.CompareTo(other._low);

            public override int GetHashCode()
            {
                // Ids of one export differ mostly in their last characters: mix both halves into all 32 bits.
                unchecked
                {
                    var h = (_high * 0x9E3779B97F4A7C15UL) ^ (_low * 0xC2B2AE3D27D4EB4FUL);
                    h ^= h >> 29;
                    return (int)(h ^ (h >> 32));
                }
            }
        }
    }
}
