import { Sex } from '../../subgraphs/immigration/enums';
import { Random } from './prng';

/**
 * Per nationality: how its people are named, where they are born, what its passport numbers look
 * like and how long its passports run. Names are drawn from common given and family names; the
 * combinations are fictional.
 */
export interface Nationality {
  code: string;
  passportYears: number;
  placesOfBirth: readonly string[];
  /** Malaysians and Bruneians cross by land from Sarawak; everyone else mostly flies in. */
  crossesByLand: boolean;
  name(rng: Random, sex: Sex): string;
  /** `core` is 7 unique digits; the format wraps it in the country's letters and extra digits. */
  passportNumber(rng: Random, core: string): string;
}

const byGender = (rng: Random, sex: Sex, male: readonly string[], female: readonly string[]) =>
  rng.pick(sex === Sex.MALE ? male : female);

// ---- China (pinyin, family name first) ----
const CHINESE_FAMILY = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Huang',
  'Zhao',
  'Wu',
  'Zhou',
  'Xu',
  'Sun',
  'Ma',
  'Zhu',
  'Hu',
  'Guo',
  'He',
  'Lin',
  'Luo',
  'Gao',
  'Zheng',
  'Liang',
  'Xie',
  'Song',
  'Tang',
  'Han',
  'Feng',
  'Deng',
  'Cao',
  'Peng',
  'Zeng',
  'Xiao',
  'Tian',
  'Dong',
  'Pan',
  'Yuan',
  'Cai',
  'Jiang',
  'Yu',
  'Du',
  'Ye',
  'Cheng',
  'Wei',
  'Su',
  'Lü',
  'Ding',
  'Ren',
  'Shen',
  'Yao',
  'Lu',
];
const CHINESE_MALE = [
  'Wei',
  'Jian',
  'Hua',
  'Ming',
  'Jun',
  'Hao',
  'Lei',
  'Qiang',
  'Yong',
  'Jie',
  'Tao',
  'Bin',
  'Gang',
  'Ping',
  'Hui',
  'Xin',
  'Peng',
  'Chao',
  'Long',
  'Feng',
  'Bo',
  'Kai',
  'Zhi',
  'Guo',
  'Dong',
  'Liang',
  'Cheng',
  'Xiang',
  'Hong',
  'Wen',
];
const CHINESE_FEMALE = [
  'Fang',
  'Na',
  'Min',
  'Jing',
  'Ying',
  'Xiu',
  'Lan',
  'Mei',
  'Qing',
  'Yan',
  'Li',
  'Juan',
  'Xia',
  'Hong',
  'Ling',
  'Yun',
  'Ting',
  'Hui',
  'Xue',
  'Dan',
];
const CHINESE_PLACES = [
  'Guangxi',
  'Fujian',
  'Hunan',
  'Shandong',
  'Henan',
  'Sichuan',
  'Jiangsu',
  'Guangdong',
  'Hebei',
  'Anhui',
  'Shanxi',
  'Hubei',
  'Jiangxi',
  'Yunnan',
  'Guizhou',
  'Liaoning',
  'Zhejiang',
  'Shaanxi',
];

function chineseName(rng: Random, sex: Sex): string {
  const syllables = sex === Sex.MALE ? CHINESE_MALE : CHINESE_FEMALE;
  const first = rng.pick(syllables);
  // Most given names have two syllables, written as one word in pinyin.
  const given = rng.chance(0.75) ? first + rng.pick(syllables).toLowerCase() : first;
  return `${rng.pick(CHINESE_FAMILY)} ${given}`;
}

// ---- Malaysia (Malay, Chinese, Indian and Iban naming) ----
const MALAY_MALE = [
  'Muhammad Hafiz',
  'Ahmad Faizal',
  'Mohd Azlan',
  'Muhammad Amirul',
  'Khairul Anuar',
  'Mohd Rizal',
  'Ahmad Zaki',
  'Muhammad Syafiq',
  'Azman',
  'Hisham',
  'Firdaus',
  'Nazri',
  'Shahrul Nizam',
  'Zulkifli',
  'Razak',
];
const MALAY_FEMALE = [
  'Nur Aisyah',
  'Siti Nurhaliza',
  'Nurul Izzah',
  'Nor Azizah',
  'Fatimah',
  'Nur Syafiqah',
  'Aminah',
  'Rohana',
  'Zarina',
  'Farah Nadia',
  'Noraini',
  'Haslinda',
];
const MALAY_FATHERS = [
  'Abdullah',
  'Ismail',
  'Ibrahim',
  'Hassan',
  'Osman',
  'Yusof',
  'Ahmad',
  'Rahman',
  'Salleh',
  'Hamid',
  'Jaafar',
  'Mohamad',
  'Sulaiman',
  'Bakar',
  'Daud',
  'Mahmud',
];
const MALAYSIAN_CHINESE_FAMILY = [
  'Tan',
  'Lim',
  'Lee',
  'Wong',
  'Ng',
  'Ong',
  'Teo',
  'Goh',
  'Chong',
  'Chin',
  'Lau',
  'Yap',
  'Ho',
  'Chua',
  'Liew',
  'Tay',
  'Sim',
  'Kho',
  'Ting',
  'Tiong',
];
const MALAYSIAN_CHINESE_MALE = [
  'Wei Ming',
  'Kah Seng',
  'Chee Keong',
  'Boon Huat',
  'Kok Wai',
  'Jun Hao',
  'Siew Kiong',
  'Teck Soon',
  'Yong Sheng',
  'Hock Lai',
];
const MALAYSIAN_CHINESE_FEMALE = [
  'Mei Ling',
  'Siew Lan',
  'Hui Min',
  'Pei Shan',
  'Li Ying',
  'Xin Yi',
  'Bee Leng',
  'Siok Hoon',
  'Yee Mun',
  'Jia Hui',
];
const TAMIL_MALE = [
  'Suresh',
  'Ramesh',
  'Kumaran',
  'Ganesan',
  'Muthu',
  'Rajendran',
  'Saravanan',
  'Vinod',
  'Prakash',
  'Selvam',
];
const TAMIL_FEMALE = ['Kavitha', 'Shanti', 'Devi', 'Malar', 'Priya', 'Lakshmi', 'Vani', 'Revathi', 'Santhi', 'Meena'];
const TAMIL_FATHERS = [
  'Muniandy',
  'Rajan',
  'Subramaniam',
  'Krishnan',
  'Arumugam',
  'Ramasamy',
  'Velu',
  'Maniam',
  'Perumal',
  'Sinnathamby',
];
const IBAN_MALE = ['Jimmy', 'Michael', 'Robert', 'Anthony', 'Jabu', 'Nyaun', 'Sagah', 'Unting', 'Dennis', 'Peter'];
const IBAN_FEMALE = ['Mary', 'Agnes', 'Christina', 'Jenny', 'Linda', 'Rita', 'Dayang', 'Sindai', 'Imang', 'Esther'];
const IBAN_FATHERS = ['Jabu', 'Nyaun', 'Sagah', 'Unting', 'Jugah', 'Linggi', 'Ngelambai', 'Empeni', 'Rentap', 'Bayang'];
const MALAYSIAN_PLACES = [
  'Kuching, Sarawak',
  'Sibu, Sarawak',
  'Miri, Sarawak',
  'Sri Aman, Sarawak',
  'Serian, Sarawak',
  'Bintulu, Sarawak',
  'Kota Kinabalu, Sabah',
  'Kuala Lumpur',
  'Johor Bahru, Johor',
  'George Town, Pulau Pinang',
  'Ipoh, Perak',
  'Kota Bharu, Kelantan',
  'Melaka',
];

const MALAYSIAN_COMMUNITIES = { malay: 45, chinese: 30, indian: 10, iban: 15 };

function malaysianName(rng: Random, sex: Sex): string {
  const community = rng.weighted(MALAYSIAN_COMMUNITIES);
  const male = sex === Sex.MALE;
  switch (community) {
    case 'malay':
      return `${byGender(rng, sex, MALAY_MALE, MALAY_FEMALE)} ${male ? 'bin' : 'binti'} ${rng.pick(MALAY_FATHERS)}`;
    case 'chinese':
      return `${rng.pick(MALAYSIAN_CHINESE_FAMILY)} ${byGender(rng, sex, MALAYSIAN_CHINESE_MALE, MALAYSIAN_CHINESE_FEMALE)}`;
    case 'indian':
      return `${byGender(rng, sex, TAMIL_MALE, TAMIL_FEMALE)} ${male ? 'a/l' : 'a/p'} ${rng.pick(TAMIL_FATHERS)}`;
    default:
      return `${byGender(rng, sex, IBAN_MALE, IBAN_FEMALE)} anak ${rng.pick(IBAN_FATHERS)}`;
  }
}

// ---- India ----
const INDIAN_MALE = [
  'Rajesh',
  'Amit',
  'Sanjay',
  'Venkatesh',
  'Suresh',
  'Rahul',
  'Vikram',
  'Arjun',
  'Manoj',
  'Anil',
  'Deepak',
  'Ravi',
  'Srinivas',
  'Prakash',
  'Ashok',
  'Naveen',
  'Sunil',
  'Karthik',
  'Rohit',
  'Ajay',
];
const INDIAN_FEMALE = [
  'Priya',
  'Anjali',
  'Sunita',
  'Kavya',
  'Pooja',
  'Lakshmi',
  'Neha',
  'Divya',
  'Meera',
  'Deepa',
  'Asha',
  'Swati',
];
const INDIAN_FAMILY = [
  'Kumar',
  'Sharma',
  'Singh',
  'Reddy',
  'Patel',
  'Nair',
  'Iyer',
  'Rao',
  'Gupta',
  'Verma',
  'Das',
  'Mishra',
  'Pillai',
  'Menon',
  'Chatterjee',
  'Yadav',
  'Joshi',
  'Naidu',
  'Banerjee',
  'Mehta',
];
const INDIAN_PLACES = [
  'Chennai',
  'Mumbai',
  'Kolkata',
  'Hyderabad',
  'Bengaluru',
  'New Delhi',
  'Jamshedpur',
  'Visakhapatnam',
  'Bhubaneswar',
  'Kochi',
  'Pune',
  'Ranchi',
  'Nagpur',
  'Raipur',
];

// ---- Philippines ----
const FILIPINO_MALE = [
  'Jose',
  'Mark Anthony',
  'Rodel',
  'Jericho',
  'Ramon',
  'Arnel',
  'Jonathan',
  'Romeo',
  'Christian',
  'Noel',
  'Reynaldo',
  'Joel',
];
const FILIPINO_FEMALE = [
  'Maria Cristina',
  'Joy',
  'Analyn',
  'Rowena',
  'Marites',
  'Jennifer',
  'Lorna',
  'Grace',
  'Maricel',
  'Rosalie',
];
const FILIPINO_FAMILY = [
  'Santos',
  'Reyes',
  'Cruz',
  'Bautista',
  'Ocampo',
  'Garcia',
  'Mendoza',
  'Torres',
  'Villanueva',
  'Ramos',
  'Aquino',
  'Castillo',
  'Dela Cruz',
  'Gonzales',
  'Flores',
  'Navarro',
];
const FILIPINO_PLACES = [
  'Manila',
  'Cebu City',
  'Davao City',
  'Iloilo City',
  'Quezon City',
  'Bacolod',
  'Cagayan de Oro',
  'Zamboanga City',
  'Batangas',
];

// ---- Korea ----
const KOREAN_FAMILY = [
  'Kim',
  'Lee',
  'Park',
  'Choi',
  'Jung',
  'Kang',
  'Cho',
  'Yoon',
  'Jang',
  'Lim',
  'Han',
  'Shin',
  'Seo',
  'Kwon',
  'Hwang',
];
const KOREAN_MALE = [
  'Min-jun',
  'Seo-jun',
  'Ji-ho',
  'Hyun-woo',
  'Ji-hoon',
  'Dong-hyun',
  'Sung-min',
  'Jae-won',
  'Young-ho',
  'Sang-woo',
  'Tae-yang',
  'Joon-young',
];
const KOREAN_FEMALE = [
  'Seo-yeon',
  'Ji-woo',
  'Min-seo',
  'Su-bin',
  'Ha-eun',
  'Ji-yeon',
  'Eun-ji',
  'Hye-jin',
  'Soo-ah',
  'Yu-na',
];
const KOREAN_PLACES = [
  'Seoul',
  'Busan',
  'Incheon',
  'Daegu',
  'Ulsan',
  'Changwon',
  'Gwangju',
  'Daejeon',
  'Pohang',
  'Suwon',
];

// ---- Vietnam ----
const VIETNAMESE_FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Ngô',
  'Dương',
];
const VIETNAMESE_MIDDLE_MALE = ['Văn', 'Đức', 'Minh', 'Hữu', 'Quốc', 'Thành'];
const VIETNAMESE_MIDDLE_FEMALE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim'];
const VIETNAMESE_MALE = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Hùng',
  'Nam',
  'Phúc',
  'Quang',
  'Tuấn',
  'Long',
  'Sơn',
  'Hải',
  'Khoa',
];
const VIETNAMESE_FEMALE = ['Hương', 'Lan', 'Linh', 'Mai', 'Thảo', 'Trang', 'Hoa', 'Nhung', 'Phương', 'Yến', 'Hằng'];
const VIETNAMESE_PLACES = [
  'Hà Nội',
  'Hải Phòng',
  'Thành phố Hồ Chí Minh',
  'Đà Nẵng',
  'Nghệ An',
  'Thanh Hóa',
  'Quảng Ninh',
  'Cần Thơ',
  'Huế',
];

// ---- Japan ----
const JAPANESE_FAMILY = [
  'Sato',
  'Suzuki',
  'Takahashi',
  'Tanaka',
  'Watanabe',
  'Ito',
  'Yamamoto',
  'Nakamura',
  'Kobayashi',
  'Kato',
  'Yoshida',
  'Yamada',
  'Sasaki',
  'Matsumoto',
];
const JAPANESE_MALE = [
  'Hiroshi',
  'Takeshi',
  'Kenji',
  'Daisuke',
  'Haruto',
  'Sota',
  'Kazuki',
  'Ryota',
  'Masato',
  'Yusuke',
  'Shinji',
  'Tetsuya',
];
const JAPANESE_FEMALE = ['Yui', 'Aoi', 'Sakura', 'Naoko', 'Yuki', 'Keiko', 'Mika', 'Emi', 'Haruka', 'Ayumi'];
const JAPANESE_PLACES = ['Tokyo', 'Osaka', 'Nagoya', 'Fukuoka', 'Sapporo', 'Kobe', 'Yokohama', 'Hiroshima', 'Sendai'];

// ---- Taiwan (Wade-Giles, family name first) ----
const TAIWANESE_FAMILY = [
  'Chen',
  'Lin',
  'Huang',
  'Chang',
  'Li',
  'Wang',
  'Wu',
  'Liu',
  'Tsai',
  'Yang',
  'Hsu',
  'Cheng',
  'Hsieh',
  'Kuo',
];
const TAIWANESE_MALE = [
  'Chih-ming',
  'Chia-hao',
  'Wen-hsiung',
  'Chien-hung',
  'Kuan-yu',
  'Tsung-han',
  'Cheng-en',
  'Yu-chen',
  'Ming-te',
];
const TAIWANESE_FEMALE = ['Shu-fen', 'Mei-ling', 'Ya-ting', 'Yi-chen', 'Hsiu-ying', 'Pei-yu', 'Hui-chun', 'Chia-yi'];
const TAIWANESE_PLACES = ['Taipei', 'Kaohsiung', 'Taichung', 'Tainan', 'Hsinchu', 'Taoyuan', 'Keelung'];

// ---- Singapore ----
const SINGAPORE_PLACES = ['Singapore'];

const SINGAPOREAN_COMMUNITIES = { chinese: 70, malay: 18, indian: 12 };

function singaporeanName(rng: Random, sex: Sex): string {
  const community = rng.weighted(SINGAPOREAN_COMMUNITIES);
  if (community === 'chinese')
    return `${rng.pick(MALAYSIAN_CHINESE_FAMILY)} ${byGender(rng, sex, MALAYSIAN_CHINESE_MALE, MALAYSIAN_CHINESE_FEMALE)}`;
  if (community === 'malay')
    return `${byGender(rng, sex, MALAY_MALE, MALAY_FEMALE)} ${sex === Sex.MALE ? 'bin' : 'binti'} ${rng.pick(MALAY_FATHERS)}`;
  return `${byGender(rng, sex, TAMIL_MALE, TAMIL_FEMALE)} ${sex === Sex.MALE ? 's/o' : 'd/o'} ${rng.pick(TAMIL_FATHERS)}`;
}

// ---- English-speaking, Dutch, German, French, Thai, Bangladeshi ----
const ENGLISH_MALE = [
  'James',
  'Michael',
  'David',
  'John',
  'Robert',
  'Daniel',
  'Matthew',
  'Andrew',
  'Thomas',
  'Christopher',
  'Paul',
  'Mark',
  'Steven',
  'Richard',
];
const ENGLISH_FEMALE = [
  'Sarah',
  'Emma',
  'Jessica',
  'Emily',
  'Rebecca',
  'Laura',
  'Rachel',
  'Hannah',
  'Elizabeth',
  'Catherine',
  'Karen',
  'Susan',
];
const ENGLISH_FAMILY = [
  'Smith',
  'Brown',
  'Wilson',
  'Taylor',
  'Johnson',
  'Williams',
  'Jones',
  'Walker',
  'Harris',
  'Clarke',
  'Thompson',
  'Anderson',
  'Mitchell',
  'Campbell',
  "O'Brien",
  'Kelly',
];
const DUTCH_MALE = ['Jan', 'Pieter', 'Willem', 'Hendrik', 'Johannes', 'Kees', 'Bram', 'Sander', 'Joost', 'Ruud'];
const DUTCH_FEMALE = ['Sanne', 'Anouk', 'Femke', 'Marieke', 'Lotte', 'Ingrid', 'Annelies', 'Eline'];
const DUTCH_FAMILY = [
  'de Vries',
  'van den Berg',
  'Jansen',
  'de Jong',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'van Dijk',
  'Mulder',
  'de Boer',
  'Vermeulen',
];
const GERMAN_MALE = ['Thomas', 'Stefan', 'Jürgen', 'Andreas', 'Markus', 'Klaus', 'Matthias', 'Jörg'];
const GERMAN_FEMALE = ['Sabine', 'Claudia', 'Katrin', 'Anja', 'Birgit', 'Ute'];
const GERMAN_FAMILY = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schäfer',
  'Hoffmann',
];
const FRENCH_MALE = ['Jean', 'Pierre', 'Nicolas', 'Julien', 'François', 'Olivier', 'Sébastien', 'Laurent'];
const FRENCH_FEMALE = ['Marie', 'Camille', 'Céline', 'Sophie', 'Isabelle', 'Hélène', 'Amélie'];
const FRENCH_FAMILY = ['Dubois', 'Martin', 'Bernard', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Roux', 'Fournier'];
const THAI_MALE = ['Somchai', 'Somsak', 'Prasert', 'Anan', 'Wichai', 'Chaiwat', 'Kittisak'];
const THAI_FEMALE = ['Siriporn', 'Malee', 'Pranee', 'Suda', 'Kanya', 'Nattaya'];
const THAI_FAMILY = [
  'Srisuk',
  'Saetang',
  'Wongsawat',
  'Chaiyaphum',
  'Rattanakorn',
  'Boonmee',
  'Thongchai',
  'Kaewmanee',
];
const BANGLADESHI_MALE = ['Mohammad', 'Abdul', 'Rafiqul', 'Kamal', 'Shahidul', 'Aminul', 'Nurul'];
const BANGLADESHI_FEMALE = ['Fatema', 'Nasrin', 'Roksana', 'Shirin', 'Taslima'];
const BANGLADESHI_FAMILY = ['Rahman', 'Hossain', 'Islam', 'Ahmed', 'Uddin', 'Alam', 'Chowdhury', 'Miah'];

const westernName =
  (male: readonly string[], female: readonly string[], family: readonly string[]) => (rng: Random, sex: Sex) =>
    `${byGender(rng, sex, male, female)} ${rng.pick(family)}`;
const familyFirst =
  (family: readonly string[], male: readonly string[], female: readonly string[]) => (rng: Random, sex: Sex) =>
    `${rng.pick(family)} ${byGender(rng, sex, male, female)}`;

const nationalities: Nationality[] = [
  {
    code: 'CHN',
    passportYears: 10,
    placesOfBirth: CHINESE_PLACES,
    crossesByLand: false,
    name: chineseName,
    // "E" + 8 digits, or a second letter on the newer e-passports (EA..., EJ...).
    passportNumber: (rng, core) =>
      rng.chance(0.5) ? `E${rng.digits(1)}${core}` : `E${rng.letter('ABCDEFGHJK')}${core}`,
  },
  {
    code: 'MYS',
    passportYears: 5,
    placesOfBirth: MALAYSIAN_PLACES,
    crossesByLand: true,
    name: malaysianName,
    passportNumber: (rng, core) => `${rng.chance(0.6) ? 'H' : 'A'}${rng.digits(1)}${core}`,
  },
  {
    code: 'IND',
    passportYears: 10,
    placesOfBirth: INDIAN_PLACES,
    crossesByLand: false,
    name: westernName(INDIAN_MALE, INDIAN_FEMALE, INDIAN_FAMILY),
    passportNumber: (rng, core) => `${rng.letter('JKLMNPRSTUVWZ')}${core}`,
  },
  {
    code: 'PHL',
    passportYears: 10,
    placesOfBirth: FILIPINO_PLACES,
    crossesByLand: false,
    name: westernName(FILIPINO_MALE, FILIPINO_FEMALE, FILIPINO_FAMILY),
    passportNumber: (rng, core) => `P${core}${rng.letter('ABC')}`,
  },
  {
    code: 'KOR',
    passportYears: 10,
    placesOfBirth: KOREAN_PLACES,
    crossesByLand: false,
    name: familyFirst(KOREAN_FAMILY, KOREAN_MALE, KOREAN_FEMALE),
    passportNumber: (rng, core) => `M${rng.digits(1)}${core}`,
  },
  {
    code: 'VNM',
    passportYears: 10,
    placesOfBirth: VIETNAMESE_PLACES,
    crossesByLand: false,
    name: (rng, sex) =>
      `${rng.pick(VIETNAMESE_FAMILY)} ${byGender(rng, sex, VIETNAMESE_MIDDLE_MALE, VIETNAMESE_MIDDLE_FEMALE)} ${byGender(rng, sex, VIETNAMESE_MALE, VIETNAMESE_FEMALE)}`,
    passportNumber: (rng, core) => `${rng.chance(0.7) ? 'C' : 'P'}${core}`,
  },
  {
    code: 'JPN',
    passportYears: 10,
    placesOfBirth: JAPANESE_PLACES,
    crossesByLand: false,
    name: westernName(JAPANESE_MALE, JAPANESE_FEMALE, JAPANESE_FAMILY),
    passportNumber: (rng, core) => `T${rng.letter('KRSZ')}${core}`,
  },
  {
    code: 'TWN',
    passportYears: 10,
    placesOfBirth: TAIWANESE_PLACES,
    crossesByLand: false,
    name: familyFirst(TAIWANESE_FAMILY, TAIWANESE_MALE, TAIWANESE_FEMALE),
    passportNumber: (rng, core) => `3${rng.digits(1)}${core}`,
  },
  {
    code: 'SGP',
    passportYears: 10,
    placesOfBirth: SINGAPORE_PLACES,
    crossesByLand: false,
    name: singaporeanName,
    passportNumber: (rng, core) => `K${core}${rng.letter()}`,
  },
  {
    code: 'AUS',
    passportYears: 10,
    placesOfBirth: ['Perth', 'Sydney', 'Melbourne', 'Brisbane', 'Darwin', 'Adelaide'],
    crossesByLand: false,
    name: westernName(ENGLISH_MALE, ENGLISH_FEMALE, ENGLISH_FAMILY),
    passportNumber: (rng, core) => (rng.chance(0.5) ? `PA${core}` : `N${core}`),
  },
  {
    code: 'USA',
    passportYears: 10,
    placesOfBirth: ['Houston', 'Los Angeles', 'Chicago', 'Seattle', 'New York', 'Denver', 'Phoenix'],
    crossesByLand: false,
    name: westernName(ENGLISH_MALE, ENGLISH_FEMALE, ENGLISH_FAMILY),
    passportNumber: (rng, core) => `5${rng.digits(1)}${core}`,
  },
  {
    code: 'NLD',
    passportYears: 10,
    placesOfBirth: ['Amsterdam', 'Rotterdam', 'Utrecht', 'Den Haag', 'Eindhoven', 'Groningen'],
    crossesByLand: false,
    name: westernName(DUTCH_MALE, DUTCH_FEMALE, DUTCH_FAMILY),
    passportNumber: (rng, core) => `N${rng.letter()}${core}`,
  },
  {
    code: 'GBR',
    passportYears: 10,
    placesOfBirth: ['London', 'Manchester', 'Birmingham', 'Glasgow', 'Leeds', 'Bristol'],
    crossesByLand: false,
    name: westernName(ENGLISH_MALE, ENGLISH_FEMALE, ENGLISH_FAMILY),
    passportNumber: (rng, core) => `1${rng.digits(1)}${core}`,
  },
  {
    code: 'DEU',
    passportYears: 10,
    placesOfBirth: ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart'],
    crossesByLand: false,
    name: westernName(GERMAN_MALE, GERMAN_FEMALE, GERMAN_FAMILY),
    passportNumber: (rng, core) => `C${rng.letter('FGHJKLMNPRTVWXYZ')}${core}`,
  },
  {
    code: 'FRA',
    passportYears: 10,
    placesOfBirth: ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Nantes', 'Bordeaux'],
    crossesByLand: false,
    name: westernName(FRENCH_MALE, FRENCH_FEMALE, FRENCH_FAMILY),
    passportNumber: (rng, core) => `${core.slice(0, 2)}${rng.letter()}${rng.letter()}${core.slice(2)}`,
  },
  {
    code: 'THA',
    passportYears: 10,
    placesOfBirth: ['Bangkok', 'Chiang Mai', 'Hat Yai', 'Khon Kaen', 'Nakhon Ratchasima'],
    crossesByLand: false,
    name: westernName(THAI_MALE, THAI_FEMALE, THAI_FAMILY),
    passportNumber: (rng, core) => `A${rng.letter()}${core}`,
  },
  {
    code: 'BGD',
    passportYears: 10,
    placesOfBirth: ['Dhaka', 'Chittagong', 'Sylhet', 'Khulna', 'Rajshahi'],
    crossesByLand: false,
    name: westernName(BANGLADESHI_MALE, BANGLADESHI_FEMALE, BANGLADESHI_FAMILY),
    passportNumber: (rng, core) => `E${rng.letter('ABC')}${core}`,
  },
];

export const NATIONALITIES: Readonly<Record<string, Nationality>> = Object.fromEntries(
  nationalities.map((entry) => [entry.code, entry]),
);

// ---- Indonesians: counterparts, sponsors, landlords, report parties (mostly Kalbar names) ----
const INDONESIAN_MALE = [
  'Budi',
  'Agus',
  'Hendra',
  'Yohanes',
  'Dedi',
  'Rudi',
  'Andi',
  'Fransiskus',
  'Syarif',
  'Abang',
  'Rizky',
  'Eko',
  'Heri',
  'Yulianus',
  'Antonius',
  'Ahmad',
  'Muhammad',
  'Bambang',
  'Darius',
  'Stefanus',
  'Wahyu',
  'Arif',
  'Sugianto',
  'Ferry',
  'Hermanto',
];
const INDONESIAN_FEMALE = [
  'Siti',
  'Dewi',
  'Sri',
  'Maria',
  'Yuliana',
  'Rina',
  'Wati',
  'Nurhayati',
  'Sharifah',
  'Lestari',
  'Fransiska',
  'Agustina',
  'Yanti',
  'Fitri',
  'Desi',
  'Lina',
  'Novi',
  'Susanti',
];
const INDONESIAN_SECOND = [
  'Santoso',
  'Wijaya',
  'Gunawan',
  'Setiawan',
  'Saputra',
  'Hidayat',
  'Kurniawan',
  'Pratama',
  'Rahmawati',
  'Lestari',
  'Sulistyo',
  'Prasetyo',
  'Alkadrie',
  'Dominikus',
  'Anyang',
  'Sinaga',
  'Simanjuntak',
  'Hartono',
  'Halim',
  'Tjhai',
  'Effendi',
  'Nugroho',
  'Ramadhan',
  'Susilo',
  'Firmansyah',
  'Rusdi',
  'Akbar',
  'Syahputra',
];

export function indonesianName(rng: Random, sex: Sex = rng.chance(0.6) ? Sex.MALE : Sex.FEMALE): string {
  const first = byGender(rng, sex, INDONESIAN_MALE, INDONESIAN_FEMALE);
  // Many Indonesians have a single name; most records here carry two.
  return rng.chance(0.12) ? first : `${first} ${rng.pick(INDONESIAN_SECOND)}`;
}
