using System;
using System.Collections.Generic;

namespace LeadTools.Core.Matching
{
    /// <summary>
    /// Common English given-name variants (Bob/Robert, Bill/William, Liz/Elizabeth, ...). Each line is a formal
    /// name followed by its variants; a variant maps to the first formal name that lists it.
    /// </summary>
    public static class Nicknames
    {
        private const string Table = @"
robert bob bobby rob robbie bert
william bill billy will willy liam
elizabeth liz lizzie beth betty betsy eliza libby lisa elisa
james jim jimmy jamie
john jack johnny jon
jonathan jon jonny nathan
richard rick ricky dick rich richie
michael mike mikey mick mickey
thomas tom tommy
charles charlie chuck chas
christopher chris kit topher
christine chris chrissy tina
christina chris chrissy tina
joseph joe joey jo
josephine jo josie
katherine kate kathy katie kat kitty cathy kay
catherine kate cathy katie cat kitty
kathleen kathy kate katie
margaret maggie meg peggy marge margie greta
patricia pat patty trish tricia
patrick pat paddy
edward ed eddie ted teddy ned
daniel dan danny
david dave davy
anthony tony
andrew andy drew
alexander alex al sandy xander
alexandra alex sandra sandy lexi
benjamin ben benny benji
samuel sam sammy
samantha sam sammy
matthew matt matty
nicholas nick nicky
steven steve stevie
stephen steve stevie
timothy tim timmy
gregory greg
jeffrey jeff
geoffrey geoff jeff
kenneth ken kenny
lawrence larry
laurence larry
ronald ron ronnie
donald don donnie
raymond ray
gerald gerry jerry
jerome jerry
peter pete
philip phil
phillip phil
frederick fred freddie fritz
francis frank fran
franklin frank
frances fran frannie
henry harry hank
harold harry hal
walter walt wally
albert al bert
alfred alf fred alfie
arthur art artie
eugene gene
leonard len lenny leo
douglas doug
joshua josh
zachary zach zack
nathaniel nate nat nathan
theodore ted teddy theo
victoria vicky tori
susan sue susie suzy
suzanne sue suzy
deborah deb debbie
rebecca becky becca
jennifer jen jenny
jessica jess jessie
judith judy
barbara barb barbie babs
dorothy dot dottie
abigail abby gail
pamela pam
cynthia cindy
virginia ginny ginger
ann annie nan nancy
anne annie
nancy nan
melissa mel missy
melanie mel
amanda mandy
kimberley kim
kimberly kim
jacqueline jackie jacqui
valerie val
veronica ronnie
teresa terry tess tessa
theresa terry tess tessa
dominic dom
vincent vince vinny
leslie les
lester les
mitchell mitch
maximilian max
maxwell max
oliver ollie
olivia liv livvy
sophia sophie
isabella bella izzy
isabel bella izzy
gabriel gabe
gabrielle gabby
cameron cam
clifford cliff
clayton clay
randolph randy
randall randy
rodney rod
roger rog
russell russ
stanley stan
sylvester sly
terence terry
tobias toby
wesley wes
winifred winnie
wilfred wilf
agnes aggie
angela angie
antoinette toni
beatrice bea
bernard bernie
caroline carrie
carolyn carrie
cassandra cassie
constance connie
cornelius neil
curtis curt
daniela dani
delores dee
edith edie
eleanor ellie nora
ellen ellie
emily em emmy
emma em
esther essie
evelyn evie
florence flo
gertrude gertie
gwendolyn gwen
harriet hattie
helen nell
irene rene
jeremiah jerry
jeremy jerry
leonardo leo
lillian lily
louise lou
louis lou
lucille lucy
madeline maddie
martha marty
martin marty
mathilda tilly
matilda tilly
mildred millie
miriam mimi
montgomery monty
nicole nicki nikki
norman norm
pauline polly
penelope penny
priscilla prissy
reginald reg reggie
rosalind roz
rosemary rosie
sarah sally sadie
solomon sol
thaddeus thad
timothea thea
vernon vern
wallace wally
zebulon zeb
";

        private static readonly Dictionary<string, string> ToFormal = Build();

        private static Dictionary<string, string> Build()
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var raw in Table.Split('\n'))
            {
                var words = raw.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2) continue;
                foreach (var w in words)
                    if (!map.ContainsKey(w)) map[w] = words[0];
            }
            return map;
        }

        /// <summary>The number of names known.</summary>
        public static int Count => ToFormal.Count;

        /// <summary>The formal form of a normalised first name (bob -> robert); the name itself when unknown.</summary>
        public static string Canonical(string normalisedName) =>
            normalisedName.Length > 0 && ToFormal.TryGetValue(normalisedName, out var f) ? f : normalisedName;

        /// <summary>True when both normalised names are the same person's name by the table (bob, robert, rob).</summary>
        public static bool AreVariants(string a, string b) =>
            a.Length > 0 && b.Length > 0 && (a == b || Canonical(a) == Canonical(b));
    }
}
