/**
 * Given names Faker's lists lack, written here: Faker's German list holds today's baby names, so the
 * names of the people who write to an authority most — born 1930 to 1995 — were missing (`Jürgen`,
 * `Heike`, `Uwe`), as were common German spellings of names from Eastern Europe, the Balkans, the
 * Middle East and Africa (`Tatjana`, `Artjom`, `Mirsad`, `Yohannes`). Compiled from the frequency
 * lists of given names by birth year that German name research publishes, and from the spellings
 * German registers use; no list of persons was copied.
 */
export const SUPPLEMENT_GIVEN_NAMES: readonly string[] =
  // German, born 1930–1995
  (
    'Jürgen Uwe Detlef Detlev Heike Thorsten Torsten Karsten Carsten Anke Dörte Hannelore Holger Günther Günter Gunter ' +
    'Manfred Wolfgang Dieter Klaus Claus Horst Helmut Helmuth Gerhard Rainer Reiner Bernd Ralf Ralph Dirk Lars Kai Sven ' +
    'Jörg Joerg Frank Hartmut Siegfried Reinhard Eckhard Eckhart Volker Norbert Ulrich Ulf Olaf Knut Gernot Hans-Jürgen ' +
    'Karl-Heinz Heinz Heinrich Werner Walter Kurt Herbert Rudolf Rolf Gerd Gert Egon Erwin Ernst Fritz Otto Willi Willy ' +
    'Wilfried Winfried Gottfried Hubert Alfons Edmund Eberhard Lothar Bodo Harald Hermann Axel Jens Heiko Maik Mike ' +
    'Marco Mirko Nico Ronny Enrico Steffen Stephan Stefan Mario Ingo Guido Rüdiger Burkhard Burkhardt Bernhard Armin ' +
    'Helga Hildegard Gisela Ingrid Inge Ilse Irmgard Gertrud Gudrun Brigitte Renate Ursula Christa Christel Erika ' +
    'Elke Birgit Gabriele Gabi Sabine Petra Monika Karin Marion Martina Angelika Andrea Susanne Katrin Kathrin Kerstin ' +
    'Silke Sylke Simone Claudia Anja Antje Dagmar Doris Edith Elfriede Erna Frieda Gerda Gitta Hanna Hannah Hedwig ' +
    'Heidi Heidemarie Helene Herta Hertha Ilona Irene Iris Jutta Karola Katja Liane Lieselotte Liselotte Margarete ' +
    'Margit Marianne Marlies Marita Mechthild Nadine Nicole Ramona Regina Roswitha Rosemarie Rita Rotraut Sandra ' +
    'Sieglinde Sigrid Silvia Sylvia Tanja Ulrike Ute Uta Vera Waltraud Waltraut Wiebke Yvonne Annegret Annelie ' +
    'Annerose Beate Bettina Carola Cornelia Dorothea Dorothee Friederike Gesine Grit Heidrun Henrike Imke Jana Janine ' +
    'Jacqueline Kirsten Manuela Mandy Peggy Romy Steffi Stefanie Stephanie Svenja Swantje Tina Ulla ' +
    // Russian, Ukrainian, Belarusian, Kazakh-German in German spelling
    'Artjom Artem Dmitrij Dmitri Dmytro Sergej Sergei Serhij Wladimir Volodymyr Vladimir Wassilij Jewgenij Evgenij ' +
    'Juri Jurij Andrej Andrij Alexej Oleksij Oleksandr Mykola Mykhailo Bohdan Taras Wiktor Viktor Waleri Valerij Igor ' +
    'Oleg Pawel Pavlo Roman Stanislaw Witali Vitalij Jaroslaw Tetiana Tetjana Tatjana Swetlana Svitlana Olga Olha ' +
    'Natalja Natalija Nataliia Jelena Olena Oksana Ljudmila Lyudmyla Walentina Valentyna Galina Halyna Irina Iryna ' +
    'Jekaterina Kateryna Jewgenija Julija Yuliia Marina Maryna Nadeschda Nadiia Larissa Ljubow Anastasija Anastasiia ' +
    'Wiktorija Viktoriia Alina Darja Daria Sofija Solomija Uljana Polina Xenia Ksenia ' +
    // Balkans, Albanian, Bosnian, Kosovar
    'Arben Blerim Shqipe Besnik Driton Fatmir Ilir Agron Valon Visar Arta Blerta Drita Fjolla Vjosa Valbona Teuta ' +
    'Senad Amra Mirsad Emir Edin Elvir Haris Jasmin Kenan Nermin Samir Adnan Almir Amela Azra Emina Lejla Merima Selma ' +
    'Dragan Goran Zoran Milan Nenad Dejan Slobodan Vesna Snežana Snezana Jasmina Mirjana Dragana Biljana Ljiljana ' +
    // Arabic, Kurdish, Persian, Afghan in Latin spelling
    'Mohammed Mohamed Mohammad Muhammad Muhammed Mehmed Ahmed Ahmad Mahmoud Mahmud Mustafa Moustafa Hassan Hasan Hussein ' +
    'Husain Ali Omar Umar Khaled Khalid Walid Waleed Youssef Yusuf Youssouf Ibrahim Ismail Ismael Karim Kareem Tarek ' +
    'Tariq Samir Sami Rami Fadi Hadi Nabil Jamal Jamil Bilal Amir Amin Anas Ayman Bassam Hamza Hamid Hamed Jawad ' +
    'Masoud Massoud Reza Ramin Farid Farhad Behrouz Dariush Navid Omid Saeed Said Sayed Siamak Jalal Zaher Zabihullah ' +
    'Abdullah Abdul Abdulrahman Abdelkader Rahim Rahman Nasser Nasir Wahid Sherzad Shirin Rojda Rojin Dilan Berfin ' +
    'Zilan Heval Azad Baran Rezan Fatima Fatemeh Aisha Aischa Aysha Amina Mariam Maryam Yasmin Jasmin Leila Layla Lina ' +
    'Nour Nur Rania Rana Hanan Huda Dalia Samira Sara Salma Zainab Zeynab Zahra Soraya Parisa Shirin Nasrin Mahsa ' +
    'Roya Fereshteh Habiba Latifa Malalai Mursal Nazanin Yalda Farida ' +
    // Eritrea, Ethiopia, Somalia, Nigeria, Ghana
    'Yohannes Johannes Tesfaye Berhane Tekle Tewelde Haile Mesfin Dawit Senait Selam Mehret Semhar Saba Tsega Helen ' +
    'Abdirahman Abdiaziz Mohamud Hodan Hibaq Chinonso Chinedu Chukwuemeka Emeka Ifeanyi Ngozi Chiamaka Adaeze Obinna ' +
    'Oluwaseun Olumide Babajide Adebayo Funmilayo Folake Kwabena Kwame Kofi Kojo Kwaku Yaw Akosua Abena Ama Efua Adwoa ' +
    // Turkish and Vietnamese spellings without special letters
    'Ayse Huseyin Hulya Gulsen Ozlem Sukran Tugba Cigdem Ozgur Gokhan Cagla Thi Van Duc Minh Tuan Hoa Linh Thu Trang ' +
    'Huong Phuong Hanh Ngoc Quang Thanh Hung Dung Hieu Khanh Long Nam Son Tam Vinh'
  ).split(' ');
