/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include "sim-scenario.h"

/* Each name has its display form and the ASCII form used in the UPN. */
typedef struct
{
  const char *display;
  const char *ascii;
} Name;

typedef struct
{
  const Name *first;
  guint n_first;
  const Name *last;
  guint n_last;
  gboolean family_first; /* CJK order, no space */
  guint weight;
} Culture;

static const Name english_first[] = {
  { "James", "james" },
  { "Mary", "mary" },
  { "Robert", "robert" },
  { "Patricia", "patricia" },
  { "John", "john" },
  { "Jennifer", "jennifer" },
  { "Michael", "michael" },
  { "Linda", "linda" },
  { "David", "david" },
  { "Elizabeth", "elizabeth" },
  { "William", "william" },
  { "Barbara", "barbara" },
  { "Richard", "richard" },
  { "Susan", "susan" },
  { "Joseph", "joseph" },
  { "Jessica", "jessica" },
  { "Thomas", "thomas" },
  { "Sarah", "sarah" },
  { "Christopher", "christopher" },
  { "Karen", "karen" },
  { "Zoë", "zoe" },
  { "Chloë", "chloe" },
  { "Renée", "renee" },
  { "Seán", "sean" },
  { "Siobhán", "siobhan" },
  { "Niamh", "niamh" },
};

static const Name english_last[] = {
  { "Smith", "smith" },     { "Johnson", "johnson" },   { "Williams", "williams" },
  { "Brown", "brown" },     { "Jones", "jones" },       { "Miller", "miller" },
  { "Davis", "davis" },     { "Wilson", "wilson" },     { "Anderson", "anderson" },
  { "Taylor", "taylor" },   { "Thomas", "thomas" },     { "Moore", "moore" },
  { "Martin", "martin" },   { "Jackson", "jackson" },   { "Thompson", "thompson" },
  { "O'Brien", "o'brien" }, { "O'Connor", "o'connor" }, { "D'Angelo", "d'angelo" },
  { "O'Neill", "o'neill" }, { "McDonald", "mcdonald" }, { "Fitzgerald", "fitzgerald" },
};

static const Name romance_first[] = {
  { "José", "jose" },     { "María", "maria" },     { "François", "francois" },
  { "Hélène", "helene" }, { "Jérôme", "jerome" },   { "Inês", "ines" },
  { "João", "joao" },     { "Lucía", "lucia" },     { "Andrés", "andres" },
  { "Céline", "celine" }, { "Noémie", "noemie" },   { "Raphaël", "raphael" },
  { "Giulia", "giulia" }, { "Niccolò", "niccolo" },
};

static const Name romance_last[] = {
  { "Álvarez", "alvarez" },   { "García", "garcia" },       { "Fernández", "fernandez" },
  { "Lefèvre", "lefevre" },   { "Gonçalves", "goncalves" }, { "Müller", "muller" },
  { "Núñez", "nunez" },       { "Dubois", "dubois" },       { "Rossi", "rossi" },
  { "Esposito", "esposito" }, { "Peña", "pena" },           { "Simões", "simoes" },
};

static const Name north_first[] = {
  { "Jürgen", "jurgen" }, { "Björn", "bjorn" },         { "Søren", "soren" },
  { "Åsa", "asa" },       { "Łukasz", "lukasz" },       { "Małgorzata", "malgorzata" },
  { "Zoltán", "zoltan" }, { "Tomáš", "tomas" },         { "Jiří", "jiri" },
  { "Ingrid", "ingrid" }, { "Katarzyna", "katarzyna" }, { "Sven", "sven" },
};

static const Name north_last[] = {
  { "Schröder", "schroder" },   { "Jørgensen", "jorgensen" },   { "Wójcik", "wojcik" },
  { "Kowalczyk", "kowalczyk" }, { "Ødegård", "odegard" },       { "Lindqvist", "lindqvist" },
  { "Grünewald", "grunewald" }, { "Nowakowski", "nowakowski" }, { "Šimek", "simek" },
  { "Björklund", "bjorklund" },
};

static const Name arabic_first[] = {
  { "محمد", "mohammed" }, { "فاطمة", "fatima" }, { "أحمد", "ahmed" },
  { "ليلى", "layla" },    { "عمر", "omar" },     { "نور", "nour" },
};

static const Name arabic_last[] = {
  { "الأحمد", "alahmad" }, { "حداد", "haddad" }, { "الخطيب", "alkhatib" },
  { "منصور", "mansour" },  { "سعيد", "saeed" },
};

static const Name hebrew_first[] = {
  { "שרה", "sarah" },  { "דוד", "david" },   { "נועה", "noa" },
  { "יוסף", "yosef" }, { "מיכל", "michal" },
};

static const Name hebrew_last[] = {
  { "כהן", "cohen" },  { "לוי", "levi" },    { "מזרחי", "mizrahi" },
  { "פרץ", "peretz" }, { "ביטון", "biton" },
};

static const Name chinese_first[] = {
  { "娜", "na" },   { "伟", "wei" }, { "芳", "fang" }, { "敏", "min" },
  { "静", "jing" }, { "磊", "lei" }, { "洋", "yang" },
};

static const Name chinese_last[] = {
  { "李", "li" },   { "王", "wang" }, { "张", "zhang" }, { "刘", "liu" },
  { "陈", "chen" }, { "杨", "yang" }, { "黄", "huang" },
};

static const Name japanese_first[] = {
  { "太郎", "taro" }, { "花子", "hanako" }, { "翔", "sho" },
  { "結衣", "yui" },  { "健", "ken" },      { "陽菜", "hina" },
};

static const Name japanese_last[] = {
  { "佐藤", "sato" },   { "鈴木", "suzuki" },   { "高橋", "takahashi" },
  { "田中", "tanaka" }, { "渡辺", "watanabe" }, { "伊藤", "ito" },
};

#define CULTURE(f, l, ff, w)                        \
  {                                                 \
    f, G_N_ELEMENTS (f), l, G_N_ELEMENTS (l), ff, w \
  }

static const Culture cultures[] = {
  CULTURE (english_first, english_last, FALSE, 40),
  CULTURE (romance_first, romance_last, FALSE, 20),
  CULTURE (north_first, north_last, FALSE, 15),
  CULTURE (arabic_first, arabic_last, FALSE, 8),
  CULTURE (hebrew_first, hebrew_last, FALSE, 5),
  CULTURE (chinese_first, chinese_last, TRUE, 7),
  CULTURE (japanese_first, japanese_last, TRUE, 5),
};

static const struct
{
  const char *department;
  const char *titles[4];
} jobs[] = {
  { "Sales", { "Account Executive", "Sales Manager", "Inside Sales Rep", NULL } },
  { "Retail", { "Retail Manager", "Store Associate", "Merchandiser", NULL } },
  { "Finance", { "Accountant", "Financial Analyst", "Controller", NULL } },
  { "IT", { "Helpdesk Technician", "Systems Administrator", "Network Engineer", "IT Manager" } },
  { "Engineering", { "Software Engineer", "QA Engineer", "Engineering Lead", NULL } },
  { "Human Resources", { "HR Generalist", "Recruiter", "HR Director", NULL } },
  { "Marketing", { "Marketing Specialist", "Brand Manager", "Copywriter", NULL } },
  { "Operations", { "Operations Coordinator", "Logistics Planner", NULL, NULL } },
  { "Legal", { "Paralegal", "General Counsel", NULL, NULL } },
  { "Executive Management", { "CEO", "CFO", "Chief of Staff", NULL } },
};

static const char *guest_domains[] = {
  "gmail.com",
  "outlook.com",
  "fabrikam.com",
  "northwindtraders.com",
};

static const Culture *
pick_culture (GRand *rand)
{
  guint total = 0;
  guint pick;

  for (guint i = 0; i < G_N_ELEMENTS (cultures); i++)
    total += cultures[i].weight;
  pick = g_rand_int_range (rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (cultures); i++)
    {
      if (pick < cultures[i].weight)
        return &cultures[i];
      pick -= cultures[i].weight;
    }
  return &cultures[0];
}

static char *
random_guid (GRand *rand)
{
  guint32 w[4];

  for (guint i = 0; i < 4; i++)
    w[i] = g_rand_int (rand);
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16,
                          (w[1] & 0x0fff) | 0x4000, ((w[2] >> 16) & 0x3fff) | 0x8000, w[2] & 0xffff,
                          w[3]);
}

void
sim_tenant_generate_users (SimTenant *self, guint count, guint32 seed, double authenticator_ratio)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  const char *domain = self->domains[0] ? self->domains[0] : "example.onmicrosoft.com";
  guint base = self->users->len;

  for (guint i = 0; i < count; i++)
    {
      const Culture *c = pick_culture (rand);
      const Name *first = &c->first[g_rand_int_range (rand, 0, c->n_first)];
      const Name *last = &c->last[g_rand_int_range (rand, 0, c->n_last)];
      guint job = g_rand_int_range (rand, 0, G_N_ELEMENTS (jobs));
      guint n_titles = jobs[job].titles[3] ? 4 : jobs[job].titles[2] ? 3 : 2;
      double roll = g_rand_double (rand);
      double sync_roll = g_rand_double (rand);
      SimUser *user = sim_user_new ();
      guint n = base + i + 1;

      user->id = random_guid (rand);
      user->given_name = g_strdup (first->display);
      user->surname = g_strdup (last->display);
      if (c->family_first)
        user->display_name = g_strconcat (last->display, first->display, NULL);
      else
        user->display_name = g_strconcat (first->display, " ", last->display, NULL);

      if (roll < 0.05)
        {
          const char *home =
            guest_domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (guest_domains))];

          user->guest = TRUE;
          user->mail = g_strdup_printf ("%s.%s.%u@%s", first->ascii, last->ascii, n, home);
          user->upn =
            g_strdup_printf ("%s.%s.%u_%s#EXT#@%s", first->ascii, last->ascii, n, home, domain);
        }
      else
        {
          user->upn = g_strdup_printf ("%s.%s.%u@%s", first->ascii, last->ascii, n, domain);
          user->mail = g_strdup (user->upn);
          user->job_title = g_strdup (jobs[job].titles[g_rand_int_range (rand, 0, n_titles)]);
          user->department = g_strdup (jobs[job].department);
        }
      user->upn_key = sim_ascii_key (user->upn);
      user->account_enabled = !(roll >= 0.05 && roll < 0.08);
      user->sync = sync_roll < 0.30 ? 1 : sync_roll < 0.35 ? 0 : -1;
      user->authenticator = g_rand_double (rand) < authenticator_ratio;
      user->delay_seconds = 2;
      user->method_id = random_guid (rand);
      sim_tenant_add_user (self, user);
    }
}
