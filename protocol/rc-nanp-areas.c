/* rc-nanp-areas.c: the US and Canadian area codes, for the international-texting gate.
 *
 * Under +1 (the North American Numbering Plan) a number can be in the US, Canada, or one of the
 * independent Caribbean/Atlantic states (876 Jamaica, 809/829/849 Dominican Republic, 242 Bahamas,
 * 246 Barbados, 441 Bermuda, ...). RingCentral texts the US and Canada as domestic and the others
 * only with InternationalSmsSender, so we keep the list of domestic codes.
 *
 * Choice: the US territories (787/939 Puerto Rico, 340 US Virgin Islands, 670 Northern Mariana
 * Islands, 671 Guam, 684 American Samoa) are US soil and count as domestic here. The US
 * non-geographic codes (8XX toll-free, 5XX personal communications) are domestic too, as is
 * Canada's 600/622. A code missing from this list is treated as abroad: the gate then asks for
 * InternationalSmsSender, which is the safe side (nothing is sent that RingCentral would refuse).
 *
 * Sorted ascending: looked up by binary search. Keep it sorted when adding overlay codes.
 */
#include "rc-nanp-areas.h"

#include <stdlib.h>

static const guint16 domestic_areas[] = {
  201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 220,
  223, 224, 225, 226, 227, 228, 229, 231, 234, 235, 236, 239, 240, 248, 249, 250, 251, 252, 253,
  254, 256, 257, 260, 262, 263, 267, 269, 270, 272, 274, 276, 279, 281, 283, 289, 301, 302, 303,
  304, 305, 306, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 324,
  325, 326, 327, 329, 330, 331, 332, 334, 336, 337, 339, 340, 341, 343, 346, 347, 350, 351, 352,
  353, 354, 357, 360, 361, 363, 364, 365, 367, 368, 369, 380, 382, 385, 386, 387, 401, 402, 403,
  404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 416, 417, 418, 419, 423, 424, 425, 428,
  430, 431, 432, 434, 435, 436, 437, 438, 440, 442, 443, 445, 447, 448, 450, 457, 458, 463, 464,
  468, 469, 470, 471, 472, 474, 475, 478, 479, 480, 483, 484, 500, 501, 502, 503, 504, 505, 506,
  507, 508, 509, 510, 512, 513, 514, 515, 516, 517, 518, 519, 520, 530, 531, 533, 534, 539, 540,
  541, 544, 548, 551, 557, 559, 561, 562, 563, 564, 566, 567, 570, 571, 572, 573, 574, 575, 577,
  579, 580, 581, 582, 584, 585, 586, 587, 588, 600, 601, 602, 603, 604, 605, 606, 607, 608, 609,
  610, 612, 613, 614, 615, 616, 617, 618, 619, 620, 622, 623, 624, 626, 628, 629, 630, 631, 636,
  639, 640, 641, 645, 646, 647, 650, 651, 656, 657, 659, 660, 661, 662, 667, 669, 670, 671, 672,
  678, 679, 680, 681, 682, 683, 684, 686, 689, 701, 702, 703, 704, 705, 706, 707, 708, 709, 712,
  713, 714, 715, 716, 717, 718, 719, 720, 724, 725, 726, 727, 728, 730, 731, 732, 734, 737, 738,
  740, 742, 743, 747, 753, 754, 757, 760, 762, 763, 765, 769, 770, 771, 772, 773, 774, 775, 778,
  779, 780, 781, 782, 785, 786, 787, 800, 801, 802, 803, 804, 805, 806, 807, 808, 810, 812, 813,
  814, 815, 816, 817, 818, 819, 820, 821, 825, 826, 828, 830, 831, 832, 833, 835, 837, 838, 839,
  840, 843, 844, 845, 847, 848, 850, 854, 855, 856, 857, 858, 859, 860, 861, 862, 863, 864, 865,
  866, 867, 870, 872, 873, 877, 878, 879, 888, 901, 902, 903, 904, 905, 906, 907, 908, 909, 910,
  912, 913, 914, 915, 916, 917, 918, 919, 920, 924, 925, 928, 929, 930, 931, 934, 936, 937, 938,
  939, 940, 941, 942, 943, 945, 947, 948, 949, 951, 952, 954, 956, 959, 970, 971, 972, 973, 975,
  978, 979, 980, 983, 984, 985, 986, 989,
};

static int
compare_area (const void *a, const void *b)
{
  return (int)*(const guint16 *)a - (int)*(const guint16 *)b;
}

gboolean
rc_nanp_area_is_domestic (guint area)
{
  guint16 key;

  if (area < 200 || area > 999)
    return FALSE;
  key = (guint16)area;
  return bsearch (&key, domestic_areas, G_N_ELEMENTS (domestic_areas), sizeof domestic_areas[0],
                  compare_area)
         != NULL;
}
